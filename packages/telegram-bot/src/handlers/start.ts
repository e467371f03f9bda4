/**
 * `/start <code>` links this chat to the account that asked for the code;
 * `/start` alone explains how to get a code, or creates an account for the chat
 * when self-signup is on.
 */
import { createUser, linkTelegramChat, startTelegramLink } from "@rea/accounts";
import { CreateUserSchema, isAppError } from "@rea/contracts";
import type { CommandContext, Context } from "grammy";
import { HOW_TO_LINK } from "../replies.js";
import { accountOfChat, chatIdOf, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";
import { tokens } from "../parse/parsed.js";

const NEW_CODE = "Ask for a new one: POST /v1/channels/telegram, then send /start <code> here.";
const NEXT_STEPS = "Try /watch PRND_OXIDE above 450000, or /help for everything I understand.";

function displayName(ctx: Context): string {
  const from = ctx.from;
  const full = [from?.first_name, from?.last_name].filter((s) => s !== undefined && s !== "").join(" ");
  const candidate = (full === "" ? from?.username : full)?.slice(0, 100);
  return CreateUserSchema.safeParse({ name: candidate }).success && candidate !== undefined
    ? candidate.trim()
    : "Telegram user";
}

async function link(rt: BotRuntime, ctx: Context, chatId: string, code: string): Promise<void> {
  let channel;
  try {
    channel = await linkTelegramChat(rt.accounts, code, chatId);
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND")
      return say(ctx, `This code is unknown or was already used. ${NEW_CODE}`);
    if (isAppError(e) && e.code === "UNPROCESSABLE") {
      const minutes = Math.round(rt.accounts.limits.telegramLinkTtlMs / 60_000);
      return say(ctx, `This code has expired: a code works for ${minutes} minutes. ${NEW_CODE}`);
    }
    throw e;
  }
  rt.chats.remember(channel);
  const user = await rt.accounts.stores.users.get(channel.userId);
  const who = user === undefined ? channel.userId : `${user.value.name} (${user.value.id})`;
  rt.logger.info({ userId: channel.userId, channelId: channel.id }, "chat linked from Telegram");
  await say(
    ctx,
    [`Linked: this chat now belongs to ${who}.`, "Alerts of your rules arrive here.", NEXT_STEPS].join("\n"),
  );
}

async function signUp(rt: BotRuntime, ctx: Context, chatId: string): Promise<void> {
  const name = displayName(ctx);
  const created = await createUser(rt.accounts, { name, timezone: "Asia/Shanghai" });
  const { code } = await startTelegramLink(rt.accounts, created.user.id, undefined);
  const channel = await linkTelegramChat(rt.accounts, code, chatId);
  rt.chats.remember(channel);
  rt.logger.info({ userId: created.user.id }, "account created from Telegram");
  await say(
    ctx,
    [
      `Welcome, ${name}! I created an account for this chat (${created.user.id}); alerts arrive here.`,
      `Your API key, shown only this once: ${created.apiKey}`,
      "Keep it secret: it manages your rules and channels over the HTTP API (Authorization: Bearer <key>).",
      "Times are shown in Asia/Shanghai; PATCH /v1/me changes the timezone.",
      NEXT_STEPS,
    ].join("\n"),
  );
}

export function startCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const chatId = chatIdOf(ctx);
    if (chatId === undefined) return;
    const code = tokens(ctx.match)[0];
    if (code !== undefined) return link(rt, ctx, chatId, code);
    const account = await accountOfChat(rt, chatId);
    if (account !== undefined) {
      return say(ctx, `This chat is linked to ${account.user.name} (${account.user.id}). /help lists what I can do.`);
    }
    if (rt.selfSignup) return signUp(rt, ctx, chatId);
    await say(
      ctx,
      [
        "Welcome to rare-earth price alerts!",
        HOW_TO_LINK,
        "No account yet? Ask the operator of this service for one.",
      ].join("\n"),
    );
  };
}
