/** `/list`: the account's rules, one line each, with their ids. */
import { rulesOf } from "@rea/accounts";
import type { CommandContext, Context } from "grammy";
import { ruleLine } from "../format.js";
import { WATCH_EXAMPLES } from "../parse/watch-parser.js";
import { requireAccount, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";

export function listCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const account = await requireAccount(rt, ctx);
    if (account === undefined) return;
    const rules = await rulesOf(rt.accounts, account.user.id);
    if (rules.length === 0) {
      return say(ctx, ["You have no rules yet. Create one, e.g.:", ...WATCH_EXAMPLES.slice(0, 3)].join("\n"));
    }
    rules.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    await say(
      ctx,
      [
        `Your rules (${rules.length}):`,
        ...rules.map(ruleLine),
        "",
        "/pause <id>, /resume <id> or /delete <id> changes one.",
      ].join("\n"),
    );
  };
}
