/** The Pause and Delete buttons under an alert: act on the rule if it is this chat's, then drop the buttons. */
import type { Context, Filter } from "grammy";
import { parseButtonData } from "../alert-buttons.js";
import { accountOfChat, chatIdOf } from "../runtime.js";
import type { BotRuntime } from "../runtime.js";
import { applyRuleAction } from "./rule-actions.js";

async function dropButtons(rt: BotRuntime, ctx: Context): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } });
  } catch (e) {
    // the message may be too old to edit; the action itself is done
    rt.logger.warn({ err: e }, "could not remove the buttons of an alert");
  }
}

export function alertButtonHandler(rt: BotRuntime) {
  return async (ctx: Filter<Context, "callback_query:data">): Promise<void> => {
    const pressed = parseButtonData(ctx.callbackQuery.data);
    if (pressed === undefined) {
      await ctx.answerCallbackQuery({ text: "This button is no longer active." });
      return;
    }
    const chatId = chatIdOf(ctx);
    const account = chatId === undefined ? undefined : await accountOfChat(rt, chatId);
    if (account === undefined) {
      await ctx.answerCallbackQuery({
        text: "This chat is not linked to an account: /start explains how.",
        show_alert: true,
      });
      return;
    }
    const { action, ruleId } = pressed;
    const result = await applyRuleAction(rt, account.user.id, ruleId, action);
    if (!result.found) {
      await ctx.answerCallbackQuery({ text: `No rule ${ruleId} among your rules.`, show_alert: true });
      return;
    }
    rt.logger.info({ userId: account.user.id, ruleId, action }, "rule changed from an alert button");
    const text = action === "pause" ? `Paused ${ruleId}. /resume ${ruleId} turns it back on.` : `Deleted ${ruleId}.`;
    await ctx.answerCallbackQuery({ text });
    await dropButtons(rt, ctx);
  };
}
