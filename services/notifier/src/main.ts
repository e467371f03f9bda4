/** The notifier process: consumes ALERTS and delivers them by email and Telegram. */
import { join } from "node:path";
import { TypedBucket, consumeJson, ensureConsumer } from "@rea/bus";
import { createEmailChannel, createTelegramChannel } from "@rea/channels";
import type { Channel as Provider } from "@rea/channels";
import {
  AlertSchema,
  BUCKETS,
  CONSUMERS,
  ChannelSchema,
  DeliveryRecordSchema,
  HeldEntrySchema,
  STREAMS,
  UserSchema,
} from "@rea/contracts";
import type { ChannelType } from "@rea/contracts";
import { createLogger, loadConfigOrExit, runService } from "@rea/runtime";
import { NotifierConfigSchema } from "./config.js";
import { DigestSweeper } from "./digest-sweeper.js";
import { Dispatcher } from "./dispatcher.js";

/**
 * how long an alert handed to this notifier may go without word before NATS hands it out again;
 * the consume loop reports every alert it holds in progress three times within it
 */
const ACK_WAIT_MS = 60_000;

const config = loadConfigOrExit(NotifierConfigSchema, process.env);
const logger = createLogger("notifier", config.LOG_LEVEL);

runService({
  name: "notifier",
  description: "Delivers alerts by email and Telegram",
  config,
  logger,
  start: async ({ nc }) => {
    const providers: Partial<Record<ChannelType, Provider>> = {
      email: createEmailChannel({
        smtpUrl: config.SMTP_URL,
        outboxDir: join(config.DATA_DIR, "outbox"),
        from: config.MAIL_FROM,
      }),
    };
    if (config.TELEGRAM_BOT_TOKEN === undefined) {
      logger.info({}, "TELEGRAM_BOT_TOKEN is not set: Telegram delivery is off");
    } else {
      providers.telegram = createTelegramChannel({
        token: config.TELEGRAM_BOT_TOKEN,
        apiRoot: config.TELEGRAM_API_ROOT,
      });
    }
    // not "email": the log redacts that key, and this says only how mail leaves (SMTP host or outbox folder)
    logger.info({ mail: providers.email?.describe }, "email delivery");
    const stores = {
      channels: await TypedBucket.open(nc, BUCKETS.CHANNELS, ChannelSchema),
      deliveries: await TypedBucket.open(nc, BUCKETS.DELIVERIES, DeliveryRecordSchema),
      users: await TypedBucket.open(nc, BUCKETS.USERS, UserSchema),
      held: await TypedBucket.open(nc, BUCKETS.HELD_ALERTS, HeldEntrySchema),
    };
    const dispatcher = new Dispatcher({ ...stores, providers, logger, now: Date.now });
    const sweeper = new DigestSweeper({ ...stores, providers, logger, now: Date.now });
    const sweep = (): void => {
      sweeper.sweep().then(
        (report) => {
          if (report.sent + report.retry + report.failed + report.dropped + report.errors > 0)
            logger.info(report, "quiet-hours digest sweep");
        },
        (e: unknown) => logger.error({ err: e }, "quiet-hours digest sweep failed; retried next interval"),
      );
    };
    sweep();
    const sweeps = setInterval(sweep, config.NOTIFIER_DIGEST_INTERVAL_MS);
    await ensureConsumer(nc, {
      stream: STREAMS.ALERTS.name,
      durable: CONSUMERS.NOTIFIER,
      filterSubject: "alerts.>",
      maxDeliver: config.NOTIFIER_MAX_DELIVER,
      maxAckPending: config.NOTIFIER_CONCURRENCY * 4,
      ackWaitMs: ACK_WAIT_MS,
    });
    const consumer = await consumeJson({
      nc,
      stream: STREAMS.ALERTS.name,
      durable: CONSUMERS.NOTIFIER,
      schema: AlertSchema,
      origin: "notifier",
      logger,
      concurrency: config.NOTIFIER_CONCURRENCY,
      maxDeliver: config.NOTIFIER_MAX_DELIVER,
      handle: (alert) => dispatcher.dispatch(alert),
    });
    return {
      status: () => ({ ...consumer.stats(), ...dispatcher.counters, ...sweeper.counters }),
      stop: async () => {
        clearInterval(sweeps);
        await consumer.stop();
        await sweeper.stop();
        for (const p of Object.values(providers)) await p.close();
      },
    };
  },
});
