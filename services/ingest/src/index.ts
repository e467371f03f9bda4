export { IngestConfigSchema } from "./config.js";
export type { IngestConfig } from "./config.js";
export { FeedNameSchema } from "./feed-fields.js";
export { FeedMonitor } from "./feed-monitor.js";
export type { FeedFailure, FeedState, FeedStatus, MonitoredFeed } from "./feed-monitor.js";
export { startFeeds } from "./feed-runner.js";
export type { FeedRunnerDeps, RunningFeeds } from "./feed-runner.js";
export {
  FeedSchema,
  FeedsFileSchema,
  ReplayFeedSchema,
  SimulateFeedSchema,
  SimulatedInstrumentSchema,
  loadFeeds,
  loadFeedsFile,
} from "./feeds-config.js";
export type { Feed, FeedsFile, ReplayFeed, SimulateFeed, SimulatedInstrument } from "./feeds-config.js";
export { JsonFormatSchema, PollFeedSchema, SinaFormatSchema } from "./poll-config.js";
export type { FieldSpec, JsonFormat, PollFeed, TsSpec } from "./poll-config.js";
export { parseJsonQuotes } from "./feeds/json-quotes.js";
export type { JsonOptions } from "./feeds/json-quotes.js";
export { QuoteFormatError } from "./feeds/parsed-quotes.js";
export type { ParsedQuotes } from "./feeds/parsed-quotes.js";
export { pollOnce, startPollFeed } from "./feeds/poll-feed.js";
export type { PollDeps, PollOutcome, PollTask } from "./feeds/poll-feed.js";
export { ProgressBoard, renderBar } from "./feeds/progress-bar.js";
export { mulberry32, randomWalk } from "./feeds/random-walk.js";
export type { WalkInstrument } from "./feeds/random-walk.js";
export { replayPause, runReplay } from "./feeds/replay-feed.js";
export type { ReplayOptions, ReplayProgress } from "./feeds/replay-feed.js";
export { parseSinaQuotes } from "./feeds/sina-quotes.js";
export { runSimulation } from "./feeds/simulate-feed.js";
export type { SimulateProgress } from "./feeds/simulate-feed.js";
export { registerIngestMetrics } from "./ingest-metrics.js";
export { lastStoredPrice } from "./last-stored-price.js";
export { DEFAULT_MAX_MOVE_PCT, OutlierGuard, defaultMaxMovePct } from "./outlier-guard.js";
export type { GuardVerdict, Observed } from "./outlier-guard.js";
export { PriceGate } from "./price-gate.js";
export type { FeedCounts, GateOptions, GateOutcome, Observation } from "./price-gate.js";
