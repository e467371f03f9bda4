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
