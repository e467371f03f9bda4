export { createApp } from "./app.js";
export { ApiConfigSchema } from "./config.js";
export type { ApiConfig } from "./config.js";
export { DEFAULT_LIMITS } from "./deps.js";
export type {
  AlertPort,
  ApiDeps,
  ApiLimits,
  OpsPort,
  PricePort,
  RuleStatePort,
  StoredAlert,
  StoredPrice,
} from "./deps.js";
export { natsAlerts } from "./nats-alerts.js";
export { natsOps } from "./nats-ops.js";
export type { NatsOpsOptions } from "./nats-ops.js";
export { natsPrices } from "./nats-prices.js";
export { createRateLimiter } from "./rate-limit.js";
export type { RateDecision, RateLimiter } from "./rate-limit.js";
export { natsRuleState } from "./rule-state.js";
