/**
 * `/healthz` (the process runs), `/readyz` (its dependencies answer) and
 * `/metrics` (Prometheus) for every service, on its own port.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { Registry, collectDefaultMetrics } from "prom-client";
import type { Logger } from "pino";

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** The three health routes, for mounting into an existing app (the api) or serving alone. */
export function healthRoutes(ready: ReadinessCheck, registry: Registry): Hono {
  const app = new Hono();
  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    let checks: Record<string, boolean>;
    try {
      checks = await ready();
    } catch {
      checks = { checks: false };
    }
    const ok = Object.values(checks).every(Boolean);
    return c.json({ status: ok ? "ready" : "not ready", checks }, ok ? 200 : 503);
  });
  app.get("/metrics", async (c) => {
    c.header("Content-Type", registry.contentType);
    return c.body(await registry.metrics());
  });
  return app;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Serves the health routes on 127.0.0.1-or-host:port (0 picks a free port). */
export async function startHealthServer(opts: {
  port: number;
  host?: string;
  ready: ReadinessCheck;
  registry: Registry;
  logger: Logger;
}): Promise<HealthServer> {
  const app = healthRoutes(opts.ready, opts.registry);
  return listen(app, opts.port, opts.host ?? "0.0.0.0", opts.logger, "health endpoints listening");
}

/** Starts a hono app on a port and resolves with the port actually bound. */
export function listen(
  app: { fetch: (req: Request) => Response | Promise<Response> },
  port: number,
  host: string,
  logger: Logger,
  msg: string,
): Promise<HealthServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
      logger.info({ port: info.port }, msg);
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            if ("closeAllConnections" in server) (server as { closeAllConnections(): void }).closeAllConnections();
          }),
      });
    });
    server.once("error", reject);
  });
}
