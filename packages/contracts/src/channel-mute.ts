/** Whether a channel is muted: a pure reading of its `mutedUntil`, shared by the bot, the api and the notifier. */
import type { Channel } from "./user.js";

/**
 * When the mute of `channel` ends (its ISO `mutedUntil`), or undefined when it
 * is not muted at `nowMs` (no mute, or one that has ended).
 *
 * @example channelMutedUntil({ ...ch, mutedUntil: "2025-03-11T10:00:00.000Z" }, Date.parse("2025-03-11T08:00:00Z"))
 *   // "2025-03-11T10:00:00.000Z"
 */
export function channelMutedUntil(channel: Pick<Channel, "mutedUntil">, nowMs: number): string | undefined {
  if (channel.mutedUntil === undefined) return undefined;
  return Date.parse(channel.mutedUntil) > nowMs ? channel.mutedUntil : undefined;
}
