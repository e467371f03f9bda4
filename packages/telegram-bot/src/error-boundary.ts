/**
 * Every update runs inside this boundary: a failure is logged and the user gets
 * a short, useful reply (the message of a product error the user can act on, or
 * an apology), never silence and never a stack trace. Works for long polling
 * and webhooks alike.
 */
import { isAppError } from "@rea/contracts";
import type { Context, MiddlewareFn } from "grammy";
import type { Logger } from "pino";
import { SOMETHING_WENT_WRONG } from "./replies.js";
import { say } from "./runtime.js";

const USER_FACING = new Set(["NOT_FOUND", "CONFLICT", "UNPROCESSABLE", "RATE_LIMITED", "VALIDATION"]);

/** The text a user sees for a failure. */
export function failureText(e: unknown): string {
  if (isAppError(e) && USER_FACING.has(e.code)) return `Sorry: ${e.message}.`;
  return SOMETHING_WENT_WRONG;
}

export function errorBoundary(logger: Logger): MiddlewareFn<Context> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (e) {
      const expected = isAppError(e) && USER_FACING.has(e.code);
      logger[expected ? "info" : "error"]({ err: e, updateId: ctx.update.update_id }, "update failed");
      const text = failureText(e);
      try {
        if (ctx.callbackQuery !== undefined)
          await ctx.answerCallbackQuery({ text: text.slice(0, 200), show_alert: true });
        else if (ctx.chat !== undefined) await say(ctx, text);
      } catch (replyError) {
        logger.warn({ err: replyError }, "could not tell the user about a failure");
      }
    }
  };
}
