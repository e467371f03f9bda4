/**
 * Webhook mode: when TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET are set,
 * the api runs the bot itself, tells Telegram where to post updates, and serves
 * them at /telegram/webhook. The bot service (long polling) must not run then.
 */
import type { AccountsDeps } from "@rea/accounts";
import { createBot, fetchBotInfo, natsLastPrices } from "@rea/telegram-bot";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Hono } from "hono";
import type { Logger } from "pino";
import type { ApiConfig } from "./config.js";
import { telegramWebhookRoutes } from "./routes/telegram-webhook.js";

export async function webhookBot(
  config: ApiConfig,
  nc: NatsConnection,
  accounts: AccountsDeps,
  logger: Logger,
): Promise<Hono | undefined> {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: secret } = config;
  if (token === undefined || url === undefined) return undefined;
  if (secret === undefined) throw new Error("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL");
  // getMe, bounded and without retries: an unreachable Bot API stops the start instead of hanging it
  const botInfo = await fetchBotInfo({ token, apiRoot: config.TELEGRAM_API_ROOT });
  const bot = createBot({
    token,
    apiRoot: config.TELEGRAM_API_ROOT,
    botInfo,
    accounts,
    prices: natsLastPrices(nc),
    selfSignup: config.BOT_SELF_SIGNUP === "true",
    logger: logger.child({ component: "telegram-bot" }),
    now: Date.now,
  });
  await bot.api.setWebhook(url, { secret_token: secret });
  logger.info({ bot: bot.botInfo.username }, "Telegram bot in webhook mode at /telegram/webhook");
  return telegramWebhookRoutes(bot, secret);
}
