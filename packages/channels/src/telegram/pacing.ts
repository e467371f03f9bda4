/**
 * Telegram's pacing: at most one message per second to a chat and thirty per
 * second overall. `acquire` waits until both allow one more message; one busy
 * chat never holds back the others beyond the global limit.
 */
export interface PacingOptions {
  perChatIntervalMs?: number;
  globalPerSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class TelegramPacing {
  private readonly perChatMs: number;
  private readonly globalPerSecond: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly nextForChat = new Map<string, number>();
  /** start times of the slots handed out in the last second */
  private readonly recent: number[] = [];

  constructor(opts: PacingOptions = {}) {
    this.perChatMs = opts.perChatIntervalMs ?? 1000;
    this.globalPerSecond = opts.globalPerSecond ?? 30;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  /** Reserves the earliest slot that respects both limits and waits for it. */
  async acquire(chatId: string): Promise<void> {
    const now = this.now();
    let at = Math.max(now, this.nextForChat.get(chatId) ?? 0);
    // global: the slot must be at least 1 s after the slot 30 places back
    while (this.recent.length > 0 && (this.recent[0] as number) <= now - 1000) this.recent.shift();
    for (;;) {
      const inWindow = this.recent.filter((t) => t > at - 1000).length;
      if (inWindow < this.globalPerSecond) break;
      const blocking = this.recent.filter((t) => t > at - 1000)[0] as number;
      at = blocking + 1000;
    }
    this.recent.push(at);
    this.recent.sort((a, b) => a - b);
    this.nextForChat.set(chatId, at + this.perChatMs);
    if (this.nextForChat.size > 10_000) this.prune(now);
    const wait = at - now;
    if (wait > 0) await this.sleep(wait);
  }

  private prune(now: number): void {
    for (const [chat, next] of this.nextForChat) if (next < now) this.nextForChat.delete(chat);
  }
}
