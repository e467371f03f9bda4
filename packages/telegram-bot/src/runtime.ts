/** What every handler gets: the bot's deps, the chat directory, and the linked account of a chat. */
import type { Channel, User } from "@rea/contracts";
import type { Context } from "grammy";
import type { ChatDirectory } from "./chat-directory.js";
import type { BotDeps } from "./deps.js";
import { splitMessage } from "./format.js";
import { notLinked } from "./replies.js";

export interface BotRuntime extends BotDeps {
  chats: ChatDirectory;
}

export interface LinkedAccount {
  user: User;
  /** revision of the user record, for compare-and-set updates */
  userRevision: number;
  channel: Channel;
}

/** Sends a plain-text reply, split into parts if it is longer than Telegram allows. */
export async function say(ctx: Context, text: string): Promise<void> {
  for (const part of splitMessage(text)) await ctx.reply(part, { link_preview_options: { is_disabled: true } });
}

export const chatIdOf = (ctx: Context): string | undefined =>
  ctx.chat === undefined ? undefined : String(ctx.chat.id);

/** The account this chat is linked to, or undefined. */
export async function accountOfChat(rt: BotRuntime, chatId: string): Promise<LinkedAccount | undefined> {
  const channel = await rt.chats.channelOf(chatId);
  if (channel === undefined) return undefined;
  const user = await rt.accounts.stores.users.get(channel.userId);
  return user === undefined ? undefined : { user: user.value, userRevision: user.revision, channel };
}

/** The chat's account; when the chat is not linked, tells the user how to link it and returns undefined. */
export async function requireAccount(rt: BotRuntime, ctx: Context): Promise<LinkedAccount | undefined> {
  const chatId = chatIdOf(ctx);
  const account = chatId === undefined ? undefined : await accountOfChat(rt, chatId);
  if (account === undefined) await say(ctx, notLinked(rt.selfSignup));
  return account;
}
