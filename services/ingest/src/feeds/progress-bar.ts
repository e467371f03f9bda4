/**
 * Replay progress as one line of bars on a terminal, redrawn in place at most
 * every `minIntervalMs`. Used only when stderr is a TTY; otherwise the replay
 * reports progress in log lines.
 */

export interface BarTarget {
  write(chunk: string): unknown;
}

/** `demo [##########----------] 83/167 50%` */
export function renderBar(name: string, done: number, total: number, width = 20): string {
  const ratio = total > 0 ? Math.min(done / total, 1) : 1;
  const filled = Math.round(ratio * width);
  return `${name} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${Math.floor(ratio * 100)}%`;
}

export class ProgressBoard {
  private readonly rows = new Map<string, { done: number; total: number; finished: boolean }>();
  private lastDraw = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly out: BarTarget,
    private readonly now: () => number = Date.now,
    private readonly minIntervalMs = 100,
  ) {}

  update(name: string, done: number, total: number): void {
    this.rows.set(name, { done, total, finished: false });
    if (this.now() - this.lastDraw >= this.minIntervalMs) this.draw();
  }

  finish(name: string, done: number, total: number): void {
    this.rows.set(name, { done, total, finished: true });
    this.draw();
    if ([...this.rows.values()].every((r) => r.finished)) {
      this.out.write("\n");
      this.rows.clear();
    }
  }

  private draw(): void {
    this.lastDraw = this.now();
    const line = [...this.rows].map(([name, r]) => renderBar(name, r.done, r.total)).join("  ");
    this.out.write(`\r\x1b[2K${line}`);
  }
}
