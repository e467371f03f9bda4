export { IngestConfigSchema } from "./config.js";
export type { IngestConfig } from "./config.js";
export { FeedSchema, FeedsFileSchema, ReplayFeedSchema, loadFeeds } from "./feeds-config.js";
export type { Feed, ReplayFeed } from "./feeds-config.js";
export { runReplay } from "./feeds/replay-feed.js";
export type { ReplayProgress } from "./feeds/replay-feed.js";
export { PriceGate } from "./price-gate.js";
export type { GateOptions, GateOutcome } from "./price-gate.js";
