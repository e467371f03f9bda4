/** `/watch PRND_OXIDE above 450000`: creates a rule for the chat's account. */
import { createRule } from "@rea/accounts";
import type { CommandContext, Context } from "grammy";
import { describeCondition } from "../format.js";
import { WATCH_USAGE, parseWatch } from "../parse/watch-parser.js";
import { requireAccount, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";

export function watchCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const account = await requireAccount(rt, ctx);
    if (account === undefined) return;
    const parsed = parseWatch(ctx.match);
    if (!parsed.ok) return say(ctx, `Sorry, I could not read that: ${parsed.error}.\n\n${WATCH_USAGE}`);
    const body = parsed.value;
    if ((await rt.accounts.stores.instruments.get(body.instrument)) === undefined) {
      return say(ctx, `I don't know the instrument ${body.instrument}. /instruments lists them.`);
    }
    const rule = await createRule(rt.accounts, account.user.id, body);
    await say(
      ctx,
      [
        `Watching ${rule.instrument} ${describeCondition(rule.condition, rule.unit)}: rule ${rule.id}.`,
        `Alerts go to your verified channels among: ${rule.channels.join(", ")}.`,
        `/pause ${rule.id} pauses it, /delete ${rule.id} removes it.`,
      ].join("\n"),
    );
  };
}
