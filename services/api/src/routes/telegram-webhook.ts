/**
 * Webhook mode of the Telegram bot: Telegram posts updates to `/telegram/webhook`
 * with the secret token given to `setWebhook`; a request without the right
 * `X-Telegram-Bot-Api-Secret-Token` header is refused with 401.
 */
import type { Bot } from "grammy";
import { webhookCallback } from "grammy";
import { Hono } from "hono";

export function telegramWebhookRoutes(bot: Bot, secretToken: string): Hono {
  const app = new Hono();
  app.post("/telegram/webhook", webhookCallback(bot, "hono", { secretToken }));
  return app;
}
