/**
 * Linking a Telegram chat to a user: the user asks for a one-time code (valid 15
 * minutes, single use) and sends `/start <code>` to the bot from the chat to link.
 */
import { AppError } from "@rea/contracts";
import type { Channel } from "@rea/contracts";
import type { AccountsDeps } from "./deps.js";
import { newId, randomBase62, sha256 } from "./ids.js";

const linkKey = (code: string): string => `telegram.${sha256(code).slice(0, 32)}`;

/** A new link code for the user; `link` opens the bot with the code filled in. */
export async function startTelegramLink(
  deps: AccountsDeps,
  userId: string,
  botUsername: string | undefined,
): Promise<{ code: string; link: string | undefined; expiresAt: string }> {
  const code = randomBase62(12);
  const now = deps.now();
  const expiresAt = new Date(now + deps.limits.telegramLinkTtlMs).toISOString();
  await deps.stores.verifications.put(linkKey(code), {
    kind: "telegram",
    userId,
    codeHash: sha256(code),
    expiresAt,
    attempts: 0,
    sentAt: new Date(now).toISOString(),
  });
  return { code, link: botUsername === undefined ? undefined : `https://t.me/${botUsername}?start=${code}`, expiresAt };
}

/** Redeems a link code from a chat: the chat becomes the user's active Telegram channel. */
export async function linkTelegramChat(deps: AccountsDeps, code: string, chatId: string): Promise<Channel> {
  const key = linkKey(code);
  const found = /^[A-Za-z0-9]{12}$/.test(code) ? await deps.stores.verifications.get(key) : undefined;
  if (found === undefined || found.value.kind !== "telegram" || found.value.codeHash !== sha256(code)) {
    throw new AppError("NOT_FOUND", "this code is unknown or was already used");
  }
  await deps.stores.verifications.delete(key);
  if (Date.parse(found.value.expiresAt) < deps.now())
    throw new AppError("UNPROCESSABLE", "this code has expired: ask for a new one");
  const userId = found.value.userId;
  const mine = [...(await deps.stores.channels.entries(`${userId}.*`)).values()].map((v) => v.value);
  const now = new Date(deps.now()).toISOString();
  const existing = mine.find((c) => c.type === "telegram" && c.address === chatId);
  const channel: Channel = existing
    ? { ...existing, status: "active", verifiedAt: now }
    : { id: newId("c"), userId, type: "telegram", address: chatId, status: "active", createdAt: now, verifiedAt: now };
  if (existing?.disabledReason !== undefined) delete channel.disabledReason;
  await deps.stores.channels.put(`${userId}.${channel.id}`, channel);
  deps.logger.info({ userId, channelId: channel.id }, "telegram chat linked");
  return channel;
}
