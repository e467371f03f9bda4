/** The evaluator's environment. */
import { commonEnv, envSchema, portSchema } from "@rea/runtime";
import { z } from "zod";

export const EvaluatorConfigSchema = envSchema({
  ...commonEnv,
  HEALTH_PORT: portSchema(9101),
  /** how often the engine state is saved (the restart replays prices after it) */
  SNAPSHOT_INTERVAL_MS: z.coerce.number().int().min(100).default(30_000),
  /** how often stale rules are checked against the wall clock */
  STALE_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).default(10_000),
  /** durable consumer name: one per set of owned partitions */
  EVALUATOR_DURABLE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "letters, digits, _ and -")
    .default("evaluator"),
  /** the fixed number of partitions instruments are hashed into */
  EVALUATOR_PARTITIONS: z.coerce.number().int().min(1).max(1024).default(1),
  /** partitions this instance evaluates: "all", or a list such as "0-3,6" */
  EVALUATOR_OWNS: z.string().default("all"),
});
export type EvaluatorConfig = z.infer<typeof EvaluatorConfigSchema>;
