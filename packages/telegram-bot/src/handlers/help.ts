/** `/help`, and the replies to anything the bot does not understand. */
import type { CommandContext, Context, Filter } from "grammy";
import { helpText } from "../replies.js";
import { say } from "../runtime.js";

export function helpCommand() {
  return (ctx: CommandContext<Context>): Promise<void> => say(ctx, helpText());
}

/** Unknown commands and plain text get pointed at /help; commands meant for another bot are left alone. */
export function fallbackHandler() {
  return async (ctx: Filter<Context, "message">): Promise<void> => {
    const text = ctx.message.text ?? ctx.message.caption ?? "";
    const command = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?/.exec(text);
    if (command !== null) {
      const target = command[2];
      if (target !== undefined && target.toLowerCase() !== ctx.me.username.toLowerCase()) return;
      return say(ctx, `I don't know the command /${command[1]}. /help lists what I understand.`);
    }
    if (ctx.chat.type !== "private") return;
    await say(
      ctx,
      "I understand commands, e.g. /watch PRND_OXIDE above 450000 or /price PRND_OXIDE. /help lists them all.",
    );
  };
}
