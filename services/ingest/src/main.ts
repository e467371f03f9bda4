/** The ingest process: runs the configured feeds and publishes validated prices. */
import { TypedBucket } from "@rea/bus";
import { BUCKETS, InstrumentSchema } from "@rea/contracts";
import type { Instrument } from "@rea/contracts";
import { createLogger, loadConfigOrExit, runService } from "@rea/runtime";
import { jetstream } from "@nats-io/jetstream";
import { IngestConfigSchema } from "./config.js";
import { FeedMonitor } from "./feed-monitor.js";
import { startFeeds } from "./feed-runner.js";
import { loadFeedsFile } from "./feeds-config.js";
import { ProgressBoard } from "./feeds/progress-bar.js";
import { registerIngestMetrics } from "./ingest-metrics.js";
import { lastStoredPrice } from "./last-stored-price.js";
import { PriceGate } from "./price-gate.js";

const config = loadConfigOrExit(IngestConfigSchema, process.env);
const logger = createLogger("ingest", config.LOG_LEVEL);
const FRESHNESS_CHECK_MS = 15_000;

runService({
  name: "ingest",
  description: "Runs price feeds",
  config,
  logger,
  start: async ({ nc, registry }) => {
    const { feeds, holidays } = await loadFeedsFile(config.FEEDS_FILE);
    const instruments = new Map<string, Instrument>();
    const bucket = await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
    const view = await bucket.live(
      (c) => (c.op === "put" ? instruments.set(c.key, c.value) : instruments.delete(c.key)),
      (key, err) => logger.error({ key, err }, "invalid instrument record ignored"),
    );
    const js = jetstream(nc);
    const gate = new PriceGate({
      js,
      unitOf: (id) => instruments.get(id)?.unit,
      instrumentOf: (id) => instruments.get(id),
      lastPrice: lastStoredPrice(nc),
      now: Date.now,
      logger,
    });
    const monitor = new FeedMonitor({ gate, logger, startedAtMs: Date.now(), holidays });
    const bar = process.stderr.isTTY ? new ProgressBoard(process.stderr) : undefined;
    const running = startFeeds(feeds, { gate, monitor, js, logger, now: Date.now, ...(bar ? { bar } : {}) });
    if (feeds.length === 0) logger.info({ file: config.FEEDS_FILE }, "no feeds configured");
    const freshness = setInterval(() => monitor.check(Date.now()), FRESHNESS_CHECK_MS);

    registerIngestMetrics(registry, gate, monitor, Date.now);
    return {
      status: () => ({
        feeds: monitor.status(Date.now()),
        replays: Object.fromEntries(running.replays),
        published: gate.published,
        duplicates: gate.duplicates,
        rejections: Object.fromEntries(gate.rejections),
      }),
      stop: async () => {
        clearInterval(freshness);
        await running.stop();
        view.stop();
      },
    };
  },
});
