/** The evaluator process: config, NATS, the engine over PRICES, health, drain. */
import { createLogger, loadConfigOrExit, runService } from "@rea/runtime";
import { EvaluatorConfigSchema } from "./config.js";
import { Evaluator } from "./evaluator.js";
import { Ownership, parseOwned } from "./partitions.js";

const config = loadConfigOrExit(EvaluatorConfigSchema, process.env);
const logger = createLogger("evaluator", config.LOG_LEVEL);

runService({
  name: "evaluator",
  description: "Applies every rule to every price",
  config,
  logger,
  start: async ({ nc }) => {
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
    return { status: () => ({ ...evaluator.status() }), stop: () => evaluator.stop() };
  },
});
