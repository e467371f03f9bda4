/** The ingest process: runs the configured feeds and publishes validated prices. */
import { TypedBucket, connectBus, provision, registerService } from "@rea/bus";
import { BUCKETS, InstrumentSchema, PRODUCT_VERSION } from "@rea/contracts";
import {
  createLogger,
  createMetricsRegistry,
  exitOnStartupError,
  loadConfigOrExit,
  onShutdown,
  startHealthServer,
} from "@rea/runtime";
import { jetstream } from "@nats-io/jetstream";
import { IngestConfigSchema } from "./config.js";
import { loadFeeds } from "./feeds-config.js";
import { runReplay } from "./feeds/replay-feed.js";
import type { ReplayProgress } from "./feeds/replay-feed.js";
import { PriceGate } from "./price-gate.js";

const config = loadConfigOrExit(IngestConfigSchema, process.env);
const logger = createLogger("ingest", config.LOG_LEVEL);

async function main(): Promise<void> {
  const feeds = await loadFeeds(config.FEEDS_FILE);
  const nc = await connectBus({ servers: config.NATS_URL, name: "ingest", logger });
  await provision(nc, { logger, replicas: config.NATS_REPLICAS });
  const units = new Map<string, string>();
  const instruments = await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
  const view = await instruments.live(
    (c) => (c.op === "put" ? units.set(c.key, c.value.unit) : units.delete(c.key)),
    (key, err) => logger.error({ key, err }, "invalid instrument record ignored"),
  );
  const gate = new PriceGate({ js: jetstream(nc), unitOf: (id) => units.get(id), now: Date.now, logger });
  const abort = new AbortController();
  const progress = new Map<string, ReplayProgress>();
  const running = feeds.map((feed) => {
    const p: ReplayProgress = { lines: 0, published: 0, duplicates: 0, rejected: 0, done: false };
    progress.set(feed.name, p);
    return runReplay(feed, gate, logger, abort.signal, p).catch((e: unknown) =>
      logger.error({ err: e, feed: feed.name }, "feed failed"),
    );
  });
  if (feeds.length === 0) logger.info({ file: config.FEEDS_FILE }, "no feeds configured");
  const registry = createMetricsRegistry("ingest");
  const health = await startHealthServer({
    port: config.HEALTH_PORT,
    ready: () => Promise.resolve({ nats: !nc.isClosed() }),
    registry,
    logger,
  });
  const service = await registerService(nc, {
    name: "ingest",
    version: PRODUCT_VERSION,
    description: "Runs price feeds",
    status: () => ({
      feeds: Object.fromEntries(progress),
      published: gate.published,
      duplicates: gate.duplicates,
      rejections: Object.fromEntries(gate.rejections),
      healthPort: health.port,
    }),
  });
  onShutdown(logger, async () => {
    abort.abort();
    await Promise.all(running);
    view.stop();
    await service.stop();
    await health.close();
    await nc.drain();
  });
}

main().catch((e: unknown) => exitOnStartupError(logger, e));
