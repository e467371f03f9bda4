/**
 * Which account a Telegram chat belongs to. Channels are keyed `<userId>.<channelId>`,
 * so finding a chat's owner by key would scan every channel; instead a live view of
 * the channels bucket keeps chat id → channel keys in memory (loaded once, then
 * following every change, wherever it is made), and each lookup confirms the few
 * candidates against the bucket, so a channel removed or disabled a moment ago is
 * never used.
 */
import type { LiveView, TypedBucket } from "@rea/bus";
import { AppError } from "@rea/contracts";
import type { Channel } from "@rea/contracts";
import type { Logger } from "pino";

export interface ChatDirectory {
  /** The active Telegram channel of this chat; the most recently linked one if several accounts linked it. */
  channelOf(chatId: string): Promise<Channel | undefined>;
  /** Makes a channel just written visible at once, before the bucket's watch delivers it. */
  remember(channel: Channel): void;
  stop(): void;
}

const linkedAt = (c: Channel): number => Date.parse(c.verifiedAt ?? c.createdAt);

export function chatDirectory(channels: TypedBucket<Channel>, logger: Logger): ChatDirectory {
  const byKey = new Map<string, string>();
  const byChat = new Map<string, Set<string>>();
  let view: LiveView | undefined;
  let starting: Promise<void> | undefined;
  let stopped = false;

  const forget = (key: string): void => {
    const chat = byKey.get(key);
    if (chat === undefined) return;
    byKey.delete(key);
    const keys = byChat.get(chat);
    keys?.delete(key);
    if (keys?.size === 0) byChat.delete(chat);
  };
  const learn = (key: string, channel: Channel): void => {
    forget(key);
    if (channel.type !== "telegram") return;
    byKey.set(key, channel.address);
    const keys = byChat.get(channel.address) ?? new Set<string>();
    keys.add(key);
    byChat.set(channel.address, keys);
  };

  const start = (): Promise<void> => {
    starting ??= channels
      .live(
        (change) => (change.op === "put" ? learn(change.key, change.value) : forget(change.key)),
        (key, err) => logger.warn({ key, err }, "skipped an invalid channel record"),
      )
      .then(
        (v) => {
          if (stopped) v.stop();
          else view = v;
        },
        (e: unknown) => {
          starting = undefined;
          throw new AppError("UNAVAILABLE", "the channel directory cannot be loaded", { retryable: true, cause: e });
        },
      );
    return starting;
  };

  return {
    async channelOf(chatId) {
      await start();
      const keys = [...(byChat.get(chatId) ?? [])];
      const current = await Promise.all(keys.map(async (key) => (await channels.get(key))?.value));
      const active = current.filter(
        (c): c is Channel => c?.type === "telegram" && c.address === chatId && c.status === "active",
      );
      return active.sort((a, b) => linkedAt(b) - linkedAt(a))[0];
    },
    remember(channel) {
      learn(`${channel.userId}.${channel.id}`, channel);
    },
    stop() {
      stopped = true;
      view?.stop();
    },
  };
}
