/**
 * The life of a service process, shared by every service but the api (which
 * serves health on its own HTTP port): connect to NATS, provision, start the
 * service's own parts, serve /healthz /readyz /metrics, register as a NATS
 * service, and on SIGTERM/SIGINT stop in order: the service's parts, the
 * registration, the health server, then drain the connection.
 */
import { connectBus, provision, registerService } from "@rea/bus";
import { PRODUCT_VERSION } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";
import type { Registry } from "prom-client";
import { createMetricsRegistry, startHealthServer } from "./health-server.js";
import { exitOnStartupError, onShutdown } from "./shutdown.js";

export interface ServiceContext {
  nc: NatsConnection;
  logger: Logger;
  /** register the service's own metrics here */
  registry: Registry;
}

export interface ServiceParts {
  /** figures for `$SRV.STATS` and the ops view */
  status: () => Record<string, unknown>;
  /** readiness checks besides the NATS connection */
  ready?: () => Record<string, boolean>;
  /** stops what the service started (consumers, timers, providers) */
  stop: () => Promise<void>;
}

export interface RunServiceOptions {
  name: string;
  description: string;
  config: { NATS_URL: string; NATS_REPLICAS: number; HEALTH_PORT: number };
  logger: Logger;
  start: (ctx: ServiceContext) => Promise<ServiceParts>;
}

/** Runs a service until a signal stops it; a start-up failure exits with one clear line. */
export function runService(opts: RunServiceOptions): void {
  const { name, config, logger } = opts;
  const run = async (): Promise<void> => {
    const nc = await connectBus({ servers: config.NATS_URL, name, logger });
    await provision(nc, { logger, replicas: config.NATS_REPLICAS });
    const registry = createMetricsRegistry(name);
    const parts = await opts.start({ nc, logger, registry });
    const ready = (): Promise<Record<string, boolean>> =>
      Promise.resolve({ nats: !nc.isClosed(), ...(parts.ready?.() ?? {}) });
    const health = await startHealthServer({ port: config.HEALTH_PORT, ready, registry, logger });
    const service = await registerService(nc, {
      name,
      version: PRODUCT_VERSION,
      description: opts.description,
      status: () => ({ ...parts.status(), healthPort: health.port }),
    });
    onShutdown(logger, async () => {
      await parts.stop();
      await service.stop();
      await health.close();
      await nc.drain();
    });
  };
  run().catch((e: unknown) => exitOnStartupError(logger, e));
}
