export { ConfigError, commonEnv, loadConfigOrExit, parseConfig, portSchema } from "./config.js";
export { createMetricsRegistry, healthRoutes, listen, startHealthServer } from "./health-server.js";
export type { Registry } from "prom-client";
export type { HealthServer, ReadinessCheck } from "./health-server.js";
export { REDACT_PATHS, createLogger } from "./logger.js";
export type { Logger } from "./logger.js";
export { exitOnStartupError, onShutdown } from "./shutdown.js";
export { runService } from "./run-service.js";
export type { RunServiceOptions, ServiceContext, ServiceParts } from "./run-service.js";
