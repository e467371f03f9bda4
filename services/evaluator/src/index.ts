export { EvaluatorConfigSchema } from "./config.js";
export type { EvaluatorConfig } from "./config.js";
export { Evaluator } from "./evaluator.js";
export type { EvaluatorOptions, EvaluatorStatus } from "./evaluator.js";
export { SnapshotStore } from "./snapshot-store.js";
export type { Snapshot, SnapshotRecord } from "./snapshot-store.js";
export { Ownership, parseOwned, partitionOf } from "./partitions.js";
