export { createApp } from "./app.js";
export { ApiConfigSchema } from "./config.js";
export type { ApiConfig } from "./config.js";
export { DEFAULT_LIMITS } from "./deps.js";
export type { ApiDeps, ApiLimits, PricePort, RuleStatePort, StoredPrice } from "./deps.js";
export { natsPrices } from "./nats-prices.js";
export { natsRuleState } from "./rule-state.js";
