/**
 * `/mute 2h`: the user and contract schemas have no mute field, so a mute is a
 * record of its own in the verifications bucket, keyed `mute.<userId>.<channelId>`
 * (the Telegram channel it silences), shaped as a verification whose `expiresAt`
 * is the end of the mute. Delivery checks it with {@link mutedUntil}.
 */
import { sha256 } from "@rea/accounts";
import type { Stores } from "@rea/accounts";
import type { Channel } from "@rea/contracts";

export const muteKey = (userId: string, channelId: string): string => `mute.${userId}.${channelId}`;

/** Silences the channel until `untilMs`. */
export async function muteChannel(
  stores: Pick<Stores, "verifications">,
  channel: Channel,
  untilMs: number,
  nowMs: number,
): Promise<void> {
  await stores.verifications.put(muteKey(channel.userId, channel.id), {
    kind: "telegram",
    userId: channel.userId,
    channelId: channel.id,
    codeHash: sha256(`mute:${channel.userId}.${channel.id}`),
    expiresAt: new Date(untilMs).toISOString(),
    attempts: 0,
    sentAt: new Date(nowMs).toISOString(),
  });
}

export async function unmuteChannel(stores: Pick<Stores, "verifications">, channel: Channel): Promise<void> {
  await stores.verifications.delete(muteKey(channel.userId, channel.id));
}

/** When the mute of this channel ends, or undefined if it is not muted at `nowMs`. */
export async function mutedUntil(
  stores: Pick<Stores, "verifications">,
  userId: string,
  channelId: string,
  nowMs: number,
): Promise<string | undefined> {
  const found = await stores.verifications.get(muteKey(userId, channelId));
  if (found === undefined || found.value.userId !== userId || found.value.channelId !== channelId) return undefined;
  return Date.parse(found.value.expiresAt) > nowMs ? found.value.expiresAt : undefined;
}
