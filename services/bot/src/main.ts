/** The bot process: config, NATS, stores, the bot by long polling, health, service registration, drain. */
import { join } from "node:path";
import { DEFAULT_ACCOUNT_LIMITS, openStores } from "@rea/accounts";
import { createEmailChannel } from "@rea/channels";
import { createLogger, loadConfigOrExit, runService } from "@rea/runtime";
import { BOT_COMMANDS, chatDirectory, createBot, fetchBotInfo, natsLastPrices } from "@rea/telegram-bot";
import { BotConfigSchema } from "./config.js";

const config = loadConfigOrExit(BotConfigSchema, process.env);
const logger = createLogger("bot", config.LOG_LEVEL);

if (config.TELEGRAM_BOT_TOKEN === undefined) {
  logger.info({}, "TELEGRAM_BOT_TOKEN is not set: the bot is off");
} else {
  const token = config.TELEGRAM_BOT_TOKEN;
  runService({
    name: "bot",
    description: "Telegram bot: links chats, manages rules and shows prices from the chat",
    config,
    logger,
    start: async ({ nc }) => {
      // getMe, bounded and without retries: a wrong token or an unreachable Bot API stops the start here, with one clear line
      const botInfo = await fetchBotInfo({ token, apiRoot: config.TELEGRAM_API_ROOT });
      const stores = await openStores(nc);
      const mailer = createEmailChannel({
        smtpUrl: config.SMTP_URL,
        outboxDir: join(config.DATA_DIR, "outbox"),
        from: config.MAIL_FROM,
      });
      const chats = chatDirectory(stores.channels, logger);
      const bot = createBot({
        token,
        apiRoot: config.TELEGRAM_API_ROOT,
        botInfo,
        accounts: {
          stores,
          mailer,
          limits: { ...DEFAULT_ACCOUNT_LIMITS, maxRulesPerUser: config.API_MAX_RULES_PER_USER },
          now: Date.now,
          logger,
        },
        prices: natsLastPrices(nc),
        selfSignup: config.BOT_SELF_SIGNUP,
        logger,
        now: Date.now,
        chats,
      });
      await bot.api.setMyCommands(BOT_COMMANDS);

      let stopping = false;
      bot
        .start({
          drop_pending_updates: false,
          onStart: (me) =>
            logger.info({ username: me.username, selfSignup: config.BOT_SELF_SIGNUP }, "long polling started"),
        })
        .catch((e: unknown) => {
          if (stopping) return;
          logger.fatal({ err: e }, `long polling stopped: ${(e as Error).message}`);
          process.exit(1);
        });
      return {
        status: () => ({ polling: bot.isRunning(), selfSignup: config.BOT_SELF_SIGNUP }),
        ready: () => ({ polling: bot.isRunning() }),
        stop: async () => {
          stopping = true;
          await bot.stop();
          chats.stop();
          await mailer.close();
        },
      };
    },
  });
}
