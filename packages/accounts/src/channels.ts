/** A user's channels: stored under `<userId>.<channelId>`, so another user's channel is simply not found. */
import { AppError } from "@rea/contracts";
import type { Channel } from "@rea/contracts";
import type { AccountsDeps } from "./deps.js";

const CHANNEL_ID = /^c_[A-Za-z0-9]{8,32}$/;

/** The user's channels, oldest first. */
export async function channelsOf(deps: Pick<AccountsDeps, "stores">, userId: string): Promise<Channel[]> {
  const mine = await deps.stores.channels.entries(`${userId}.*`);
  return [...mine.values()].map((v) => v.value).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Removes one of the user's channels; 404 when there is none with this id (or it is someone else's). */
export async function deleteChannel(deps: AccountsDeps, userId: string, channelId: string): Promise<void> {
  const key = `${userId}.${channelId}`;
  if (!CHANNEL_ID.test(channelId) || (await deps.stores.channels.get(key)) === undefined) {
    throw new AppError("NOT_FOUND", `no channel ${channelId}`);
  }
  await deps.stores.channels.delete(key);
  deps.logger.info({ userId, channelId }, "channel removed");
}

type ChannelStores = { stores: Pick<AccountsDeps["stores"], "channels"> };

/**
 * Reads the channel afresh and writes `change(current)` with compare-and-set,
 * so a concurrent change (a delivery disabling it, a re-link) is never undone;
 * `change` returns undefined when there is nothing to write.
 */
async function updateChannel(
  deps: ChannelStores,
  channel: Pick<Channel, "userId" | "id">,
  change: (current: Channel) => Channel | undefined,
): Promise<Channel> {
  const key = `${channel.userId}.${channel.id}`;
  for (let attempt = 1; ; attempt++) {
    const found = await deps.stores.channels.get(key);
    if (found === undefined) throw new AppError("NOT_FOUND", `no channel ${channel.id}`);
    const next = change(found.value);
    if (next === undefined) return found.value;
    try {
      await deps.stores.channels.update(key, next, found.revision);
      return next;
    } catch (e) {
      if (attempt >= 3 || !(e instanceof AppError && e.code === "CONFLICT")) throw e;
    }
  }
}

/**
 * Mutes a channel until `untilMs`: the notifier skips its alerts until then
 * (each recorded as skipped, "muted until ..."). Returns the updated channel.
 */
export async function muteChannel(deps: ChannelStores, channel: Channel, untilMs: number): Promise<Channel> {
  return updateChannel(deps, channel, (current) => ({ ...current, mutedUntil: new Date(untilMs).toISOString() }));
}

/** Ends a channel's mute now; a channel that is not muted is left as it is. */
export async function unmuteChannel(deps: ChannelStores, channel: Channel): Promise<Channel> {
  return updateChannel(deps, channel, ({ mutedUntil, ...rest }) => (mutedUntil === undefined ? undefined : rest));
}
