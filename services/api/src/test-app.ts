/** Builds the api against a testkit nats-server and SMTP capture, for in-process tests. */
import { openStores } from "@rea/accounts";
import { connectBus, provision, silentLogger } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import { createLogger, createMetricsRegistry } from "@rea/runtime";
import { startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { NatsServerHandle, SmtpCapture } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { createApp } from "./app.js";
import { DEFAULT_LIMITS } from "./deps.js";
import type { ApiLimits } from "./deps.js";
import { natsPrices } from "./nats-prices.js";
import { natsRuleState } from "./rule-state.js";

export const ADMIN = "test-admin-token-0123456789";

export interface TestApi {
  app: ReturnType<typeof createApp>;
  nc: NatsConnection;
  smtp: SmtpCapture;
  clock: { now: number };
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestApi(limits: Partial<ApiLimits> = {}): Promise<TestApi> {
  const server: NatsServerHandle = await startNatsServer();
  const smtp = await startSmtpCapture();
  const nc = await connectBus({ servers: server.url, name: "api-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  const clock = { now: Date.parse("2025-03-11T08:00:00Z") };
  const mailer = createEmailChannel({ smtpUrl: smtp.url, outboxDir: "unused", from: "alerts@localhost" });
  const app = createApp({
    stores: await openStores(nc),
    prices: natsPrices(nc),
    ruleState: natsRuleState(nc, 100),
    mailer,
    adminToken: ADMIN,
    limits: { ...DEFAULT_LIMITS, ...limits },
    now: () => clock.now,
    logger: createLogger("api", "silent"),
    ready: () => Promise.resolve({ nats: !nc.isClosed() }),
    registry: createMetricsRegistry("api"),
  });
  return {
    app,
    nc,
    smtp,
    clock,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (opts.token !== undefined) headers.Authorization = `Bearer ${opts.token}`;
      const init: RequestInit = { method, headers };
      if (opts.raw !== undefined) init.body = opts.raw;
      else if (opts.body !== undefined) init.body = JSON.stringify(opts.body);
      const res = await app.request(path, init);
      const text = await res.text();
      let body: unknown = text;
      try {
        body = text === "" ? undefined : JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, body, headers: res.headers };
    },
    async close() {
      await mailer.close();
      await nc.close();
      await smtp.close();
      await server.stop();
    },
  };
}
