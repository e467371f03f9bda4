/** The api process: config, NATS, stores, HTTP server, service registration, drain. */
import { join } from "node:path";
import { openStores } from "@rea/accounts";
import { connectBus, provision, registerService } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import { PRODUCT_VERSION, STREAMS } from "@rea/contracts";
import {
  createLogger,
  createMetricsRegistry,
  exitOnStartupError,
  listen,
  loadConfigOrExit,
  onShutdown,
} from "@rea/runtime";
import { jetstreamManager } from "@nats-io/jetstream";
import { createApp } from "./app.js";
import { ApiConfigSchema } from "./config.js";
import { DEFAULT_LIMITS } from "./deps.js";
import { natsAlerts } from "./nats-alerts.js";
import { natsOps } from "./nats-ops.js";
import { natsPrices } from "./nats-prices.js";
import { natsRuleState } from "./rule-state.js";
import { webhookBot } from "./webhook-bot.js";

const config = loadConfigOrExit(ApiConfigSchema, process.env);
const logger = createLogger("api", config.LOG_LEVEL);

async function main(): Promise<void> {
  const nc = await connectBus({ servers: config.NATS_URL, name: "api", logger });
  await provision(nc, { logger, replicas: config.NATS_REPLICAS });
  const stores = await openStores(nc);
  const mailer = createEmailChannel({
    smtpUrl: config.SMTP_URL,
    outboxDir: join(config.DATA_DIR, "outbox"),
    from: config.MAIL_FROM,
  });
  const registry = createMetricsRegistry("api");
  const jsm = await jetstreamManager(nc);
  const ready = async () => {
    const streams = await Promise.all(
      [STREAMS.PRICES.name, STREAMS.ALERTS.name].map((s) =>
        jsm.streams.info(s).then(
          () => true,
          () => false,
        ),
      ),
    );
    return { nats: !nc.isClosed(), streams: streams.every(Boolean) };
  };
  const deps = {
    stores,
    prices: natsPrices(nc),
    ruleState: natsRuleState(nc),
    mailer,
    adminToken: config.API_ADMIN_TOKEN,
    alerts: await natsAlerts(nc),
    ops: natsOps(nc),
    telegramBotUsername: config.TELEGRAM_BOT_USERNAME,
    limits: {
      ...DEFAULT_LIMITS,
      maxBodyBytes: config.API_MAX_BODY_BYTES,
      maxRulesPerUser: config.API_MAX_RULES_PER_USER,
      backfillHorizonDays: config.BACKFILL_HORIZON_DAYS,
      maxPricesPerRequest: config.API_MAX_PRICES_PER_REQUEST,
      requestsPerMinute: config.API_RATE_LIMIT_PER_MINUTE,
      adminRequestsPerMinute: config.API_ADMIN_RATE_LIMIT_PER_MINUTE,
      maxPreviewPrices: config.API_PREVIEW_MAX_PRICES,
    },
    now: Date.now,
    logger,
    ready,
    registry,
  };
  const app = createApp(deps);
  const webhook = await webhookBot(config, nc, deps, logger);
  if (webhook !== undefined) app.route("/", webhook);
  const server = await listen(app, config.API_PORT, config.API_HOST, logger, "api listening");
  const service = await registerService(nc, {
    name: "api",
    version: PRODUCT_VERSION,
    description: "HTTP API: users, rules, prices, alerts, channels, operations",
    status: async () => ({ ...(await ready()), port: server.port }),
  });
  onShutdown(logger, async () => {
    await server.close();
    await service.stop();
    await mailer.close();
    await nc.drain();
  });
}

main().catch((e: unknown) => exitOnStartupError(logger, e));
