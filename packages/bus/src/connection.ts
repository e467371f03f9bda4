/** Connects to NATS with endless reconnects, logs status changes, checks the server version. */
import { AppError } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { BusLogger } from "./logger.js";

export const MIN_SERVER_VERSION = "2.9.0";

export interface ConnectOptions {
  /** comma-separated list, as in NATS_URL */
  servers: string;
  /** connection name shown by the server (service name) */
  name: string;
  logger: BusLogger;
  /** give up the first connect after this long; reconnects after that never give up */
  timeoutMs?: number;
}

/** Compares dotted versions numerically: -1, 0 or 1. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** Hides credentials in a server URL, or in each of a comma-separated list, before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/g, "//***@");
}

/**
 * Opens the connection every service uses.
 * @example const nc = await connectBus({ servers: "nats://127.0.0.1:4222", name: "evaluator", logger });
 */
export async function connectBus(opts: ConnectOptions): Promise<NatsConnection> {
  const servers = opts.servers
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers,
      name: opts.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      timeout: opts.timeoutMs ?? 10_000,
    });
  } catch (e) {
    throw new AppError(
      "UNAVAILABLE",
      `cannot reach NATS at ${servers.map(redactUrl).join(", ")}: ${(e as Error).message}`,
      {
        retryable: true,
        cause: e,
      },
    );
  }
  const version = nc.info?.version ?? "0.0.0";
  if (compareVersions(version, MIN_SERVER_VERSION) < 0) {
    await nc.close();
    throw new AppError("UNAVAILABLE", `nats-server ${version} is too old: ${MIN_SERVER_VERSION} or later is required`);
  }
  if (nc.info?.jetstream !== true) {
    await nc.close();
    throw new AppError("UNAVAILABLE", "nats-server has JetStream disabled: start it with -js");
  }
  opts.logger.info({ server: nc.getServer(), version }, "connected to NATS");
  void watchStatus(nc, opts.logger);
  return nc;
}

async function watchStatus(nc: NatsConnection, logger: BusLogger): Promise<void> {
  for await (const s of nc.status()) {
    switch (s.type) {
      case "disconnect":
        logger.warn({ server: redactUrl(s.server) }, "disconnected from NATS; reconnecting");
        break;
      case "reconnect":
        logger.info({ server: redactUrl(s.server) }, "reconnected to NATS");
        break;
      case "error":
        logger.error({ err: s.error }, "NATS connection error");
        break;
      case "staleConnection":
        logger.warn({}, "NATS connection is stale");
        break;
      case "close":
      case "forceReconnect":
      case "ldm":
      case "ping":
      case "reconnecting":
      case "slowConsumer":
      case "update":
        break;
    }
  }
}
