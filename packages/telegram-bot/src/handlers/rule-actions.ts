/** `/pause <id>`, `/resume <id>` and `/delete <id>` on the account's own rules (others' are "not found"). */
import { deleteRule, ownRule, patchRule } from "@rea/accounts";
import { isAppError } from "@rea/contracts";
import type { Rule } from "@rea/contracts";
import type { CommandContext, Context } from "grammy";
import { describeCondition } from "../format.js";
import { parseRuleId } from "../parse/args-parser.js";
import { requireAccount, say } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";

export type RuleAction = "pause" | "resume" | "delete";

export type RuleActionResult = { found: false } | { found: true; rule: Rule; changed: boolean };

/** Applies the action to a rule of `userId`; a rule of someone else is simply not found. */
export async function applyRuleAction(
  rt: BotRuntime,
  userId: string,
  ruleId: string,
  action: RuleAction,
): Promise<RuleActionResult> {
  try {
    const { rule } = await ownRule(rt.accounts, userId, ruleId);
    if (action === "delete") {
      await deleteRule(rt.accounts, userId, ruleId);
      return { found: true, rule, changed: true };
    }
    const enabled = action === "resume";
    if (rule.enabled === enabled) return { found: true, rule, changed: false };
    return { found: true, rule: await patchRule(rt.accounts, userId, ruleId, { enabled }), changed: true };
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") return { found: false };
    throw e;
  }
}

const what = (rule: Rule): string => `${rule.instrument} ${describeCondition(rule.condition, rule.unit)}`;

/** The reply to an applied action. */
export function ruleActionText(action: RuleAction, ruleId: string, result: RuleActionResult): string {
  if (!result.found) return `No rule ${ruleId} among your rules. /list shows them with their ids.`;
  const { rule, changed } = result;
  switch (action) {
    case "pause":
      return changed
        ? `Paused ${rule.id}: ${what(rule)}. /resume ${rule.id} turns it back on.`
        : `${rule.id} is already paused. /resume ${rule.id} turns it back on.`;
    case "resume":
      return changed ? `Resumed ${rule.id}: ${what(rule)}.` : `${rule.id} is already on. /pause ${rule.id} pauses it.`;
    case "delete":
      return `Deleted ${rule.id}: ${what(rule)}.`;
  }
}

export function ruleActionCommand(rt: BotRuntime, action: RuleAction) {
  return async (ctx: CommandContext<Context>): Promise<void> => {
    const account = await requireAccount(rt, ctx);
    if (account === undefined) return;
    const id = parseRuleId(ctx.match, action);
    if (!id.ok) return say(ctx, `Sorry: ${id.error}.`);
    const result = await applyRuleAction(rt, account.user.id, id.value, action);
    if (result.found && result.changed) {
      rt.logger.info({ userId: account.user.id, ruleId: id.value, action }, "rule changed from Telegram");
    }
    await say(ctx, ruleActionText(action, id.value, result));
  };
}
