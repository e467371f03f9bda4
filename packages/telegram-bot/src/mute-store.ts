/**
 * `/mute 2h`: a mute is the channel's own `mutedUntil`, set and cleared through
 * @rea/accounts; the notifier skips a muted channel's alerts. These are the
 * bot's names for those operations.
 */
import { channelMutedUntil, muteChannel as muteInAccounts, unmuteChannel as unmuteInAccounts } from "@rea/accounts";
import type { Stores } from "@rea/accounts";
import type { Channel } from "@rea/contracts";

/** The channels-bucket key of the record that holds a channel's mute. */
export const muteKey = (userId: string, channelId: string): string => `${userId}.${channelId}`;

/** Silences the channel until `untilMs`. */
export async function muteChannel(stores: Pick<Stores, "channels">, channel: Channel, untilMs: number): Promise<void> {
  await muteInAccounts({ stores }, channel, untilMs);
}

export async function unmuteChannel(stores: Pick<Stores, "channels">, channel: Channel): Promise<void> {
  await unmuteInAccounts({ stores }, channel);
}

/** When the mute of this channel ends, or undefined if it is not muted at `nowMs`. */
export async function mutedUntil(
  stores: Pick<Stores, "channels">,
  userId: string,
  channelId: string,
  nowMs: number,
): Promise<string | undefined> {
  const found = await stores.channels.get(muteKey(userId, channelId));
  return found === undefined ? undefined : channelMutedUntil(found.value, nowMs);
}
