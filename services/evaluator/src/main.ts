/** The evaluator process: config, NATS, the engine over PRICES, health, drain. */
import { connectBus, provision, registerService } from "@rea/bus";
import { PRODUCT_VERSION } from "@rea/contracts";
import {
  createLogger,
  createMetricsRegistry,
  exitOnStartupError,
  loadConfigOrExit,
  onShutdown,
  startHealthServer,
} from "@rea/runtime";
import { EvaluatorConfigSchema } from "./config.js";
import { Evaluator } from "./evaluator.js";
import { Ownership, parseOwned } from "./partitions.js";

const config = loadConfigOrExit(EvaluatorConfigSchema, process.env);
const logger = createLogger("evaluator", config.LOG_LEVEL);

async function main(): Promise<void> {
  const nc = await connectBus({ servers: config.NATS_URL, name: "evaluator", logger });
  await provision(nc, { logger, replicas: config.NATS_REPLICAS });
  const evaluator = new Evaluator({
    nc,
    logger,
    durable: config.EVALUATOR_DURABLE,
    snapshotIntervalMs: config.SNAPSHOT_INTERVAL_MS,
    staleCheckIntervalMs: config.STALE_CHECK_INTERVAL_MS,
    ownership: new Ownership(
      config.EVALUATOR_PARTITIONS,
      parseOwned(config.EVALUATOR_OWNS, config.EVALUATOR_PARTITIONS),
    ),
  });
  await evaluator.start();
  const registry = createMetricsRegistry("evaluator");
  const ready = () => Promise.resolve({ nats: !nc.isClosed() });
  const health = await startHealthServer({ port: config.HEALTH_PORT, ready, registry, logger });
  const service = await registerService(nc, {
    name: "evaluator",
    version: PRODUCT_VERSION,
    description: "Applies every rule to every price",
    status: () => ({ ...evaluator.status(), healthPort: health.port }),
  });
  onShutdown(logger, async () => {
    await evaluator.stop();
    await service.stop();
    await health.close();
    await nc.drain();
  });
}

main().catch((e: unknown) => exitOnStartupError(logger, e));
