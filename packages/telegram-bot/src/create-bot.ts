/** Builds the bot: commands, alert buttons and the fallback, all behind the error boundary. */
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot } from "grammy";
import { chatDirectory } from "./chat-directory.js";
import type { BotDeps } from "./deps.js";
import { errorBoundary } from "./error-boundary.js";
import { alertButtonHandler } from "./handlers/alert-buttons.js";
import { fallbackHandler, helpCommand } from "./handlers/help.js";
import { instrumentsCommand } from "./handlers/instruments.js";
import { listCommand } from "./handlers/list.js";
import { muteCommand } from "./handlers/mute.js";
import { priceCommand } from "./handlers/price.js";
import { quietCommand } from "./handlers/quiet.js";
import { ruleActionCommand } from "./handlers/rule-actions.js";
import { startCommand } from "./handlers/start.js";
import { watchCommand } from "./handlers/watch.js";
import type { BotRuntime } from "./runtime.js";

/**
 * @example
 * const bot = createBot({ token, accounts, prices: natsLastPrices(nc), selfSignup: false, logger, now: Date.now });
 * await bot.start(); // long polling
 */
export function createBot(deps: BotDeps): Bot {
  const bot = new Bot(deps.token, {
    ...(deps.apiRoot === undefined ? {} : { client: { apiRoot: deps.apiRoot } }),
    ...(deps.botInfo === undefined ? {} : { botInfo: deps.botInfo }),
  });
  // 429s (with retry_after) and 5xx from the Bot API are retried, briefly enough for a webhook's time limit;
  // a network error is not (auto-retry would retry it without limit): the update fails and is logged
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 5, rethrowHttpErrors: true }));
  const rt: BotRuntime = { ...deps, chats: deps.chats ?? chatDirectory(deps.accounts.stores.channels, deps.logger) };

  bot.use(errorBoundary(deps.logger));
  bot.command("start", startCommand(rt));
  bot.command("watch", watchCommand(rt));
  bot.command("list", listCommand(rt));
  bot.command("pause", ruleActionCommand(rt, "pause"));
  bot.command("resume", ruleActionCommand(rt, "resume"));
  bot.command("delete", ruleActionCommand(rt, "delete"));
  bot.command("price", priceCommand(rt));
  bot.command("instruments", instrumentsCommand(rt));
  bot.command("quiet", quietCommand(rt));
  bot.command("mute", muteCommand(rt));
  bot.command("help", helpCommand());
  bot.on("callback_query:data", alertButtonHandler(rt));
  bot.on("message", fallbackHandler());
  bot.catch((err) => deps.logger.error({ err: err.error, updateId: err.ctx.update.update_id }, "unhandled bot error"));
  return bot;
}
