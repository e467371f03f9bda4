/** `/quiet 22:00-07:00` and `/quiet off`: the account's quiet hours, in its timezone. */
import { AppError } from "@rea/contracts";
import type { QuietHours, User } from "@rea/contracts";
import type { CommandContext, Context } from "grammy";
import { parseQuiet } from "../parse/args-parser.js";
import { tokens } from "../parse/parsed.js";
import { requireAccount, say } from "../runtime.js";
import type { BotRuntime, LinkedAccount } from "../runtime.js";

const withQuiet = (user: User, quiet: QuietHours | null): User => {
  const { quietHours: _old, ...rest } = user;
  return quiet === null ? rest : { ...rest, quietHours: quiet };
};

/** Writes the quiet hours with compare-and-set, re-reading the user if it changed meanwhile. */
async function saveQuiet(rt: BotRuntime, account: LinkedAccount, quiet: QuietHours | null): Promise<User> {
  let { user, userRevision } = account;
  for (let attempt = 0; ; attempt++) {
    const next = withQuiet(user, quiet);
    try {
      await rt.accounts.stores.users.update(user.id, next, userRevision);
      return next;
    } catch (e) {
      if (!(e instanceof AppError && e.code === "CONFLICT") || attempt >= 2) throw e;
      const fresh = await rt.accounts.stores.users.get(user.id);
      if (fresh === undefined) throw new AppError("NOT_FOUND", "your account no longer exists");
      ({ value: user, revision: userRevision } = fresh);
    }
  }
}

export function quietCommand(rt: BotRuntime) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const account = await requireAccount(rt, ctx);
    if (account === undefined) return;
    const { user } = account;
    if (tokens(ctx.match).length === 0) {
      const q = user.quietHours;
      return say(
        ctx,
        q === undefined
          ? `No quiet hours set. Set them with e.g. /quiet 22:00-07:00 (times in ${user.timezone}).`
          : `Quiet hours: ${q.start}-${q.end} (${user.timezone}). /quiet off removes them.`,
      );
    }
    const parsed = parseQuiet(ctx.match);
    if (!parsed.ok) return say(ctx, `Sorry: ${parsed.error}.`);
    await saveQuiet(rt, account, parsed.value);
    rt.logger.info({ userId: user.id }, "quiet hours changed from Telegram");
    const q = parsed.value;
    await say(
      ctx,
      q === null
        ? "Quiet hours removed: alerts arrive as they fire."
        : [
            `Quiet hours set: ${q.start}-${q.end} (${user.timezone}).`,
            "Alerts in that window are held and sent as one digest when it ends. /quiet off removes them.",
          ].join("\n"),
    );
  };
}
