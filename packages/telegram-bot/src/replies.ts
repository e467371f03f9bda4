/** Texts the bot sends in more than one place. */
import { BOT_COMMANDS } from "./commands.js";
import { WATCH_EXAMPLES } from "./parse/watch-parser.js";

export const HOW_TO_LINK = [
  "To link this chat to your account, ask the API for a one-time code:",
  "POST /v1/channels/telegram with your API key (Authorization: Bearer <key>).",
  "Then send /start <code> here, or open the link it returns. A code works once, for 15 minutes.",
].join("\n");

export function notLinked(selfSignup: boolean): string {
  return [
    "This chat is not linked to an account yet.",
    HOW_TO_LINK,
    ...(selfSignup ? ["No account yet? Send /start and I will create one for this chat."] : []),
  ].join("\n");
}

export const SOMETHING_WENT_WRONG = "Something went wrong on our side. Please try again in a minute.";

export function helpText(): string {
  return [
    "I send rare-earth price alerts and manage your rules.",
    "",
    ...BOT_COMMANDS.map((c) => `/${c.command} - ${c.description}`),
    "",
    "Examples:",
    ...WATCH_EXAMPLES,
    "/pause r_8Zk2mQ4xT1aB9cD0",
    "/quiet 22:00-07:00",
    "/mute 2h",
  ].join("\n");
}
