/** Builds the api against a testkit nats-server and SMTP capture, for in-process tests. */
import { linkTelegramChat, openStores } from "@rea/accounts";
import { connectBus, provision, publishJson, silentLogger } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import { createLogger, createMetricsRegistry } from "@rea/runtime";
import { startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { NatsServerHandle, SmtpCapture } from "@rea/testkit";
import { AlertSchema, subjects } from "@rea/contracts";
import type { Alert, Channel } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import { createApp } from "./app.js";
import { DEFAULT_LIMITS } from "./deps.js";
import type { ApiDeps, ApiLimits } from "./deps.js";
import { natsAlerts } from "./nats-alerts.js";
import { natsOps } from "./nats-ops.js";
import { natsPrices } from "./nats-prices.js";
import { natsRuleState } from "./rule-state.js";

export const ADMIN = "test-admin-token-0123456789";

export interface TestApi {
  app: ReturnType<typeof createApp>;
  /** what the app was built with: for account operations the bot would do (linking a chat) */
  deps: ApiDeps;
  nc: NatsConnection;
  smtp: SmtpCapture;
  clock: { now: number };
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  telegramBotUsername?: string;
  /** how long the ops status collects `$SRV.STATS` replies */
  collectMs?: number;
}

export async function startTestApi(limits: Partial<ApiLimits> = {}, opts: TestApiOptions = {}): Promise<TestApi> {
  const server: NatsServerHandle = await startNatsServer();
  const smtp = await startSmtpCapture();
  const nc = await connectBus({ servers: server.url, name: "api-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  const clock = { now: Date.parse("2025-03-11T08:00:00Z") };
  const mailer = createEmailChannel({ smtpUrl: smtp.url, outboxDir: "unused", from: "alerts@localhost" });
  const deps: ApiDeps = {
    stores: await openStores(nc),
    prices: natsPrices(nc),
    ruleState: natsRuleState(nc, 100),
    alerts: await natsAlerts(nc),
    ops: natsOps(nc, { collectMs: opts.collectMs ?? 200 }),
    telegramBotUsername: opts.telegramBotUsername,
    mailer,
    adminToken: ADMIN,
    limits: { ...DEFAULT_LIMITS, ...limits },
    now: () => clock.now,
    logger: createLogger("api", "silent"),
    ready: () => Promise.resolve({ nats: !nc.isClosed() }),
    registry: createMetricsRegistry("api"),
  };
  const app = createApp(deps);
  return {
    app,
    deps,
    nc,
    smtp,
    clock,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { "Content-Type": "application/json", ...opts.headers };
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

/** An admin-created user and its API key. */
export async function newUser(t: TestApi, name = "Analyst"): Promise<{ id: string; apiKey: string }> {
  const r = await t.call("POST", "/v1/users", { token: ADMIN, body: { name } });
  if (r.status !== 201) throw new Error(`creating a user answered ${r.status}`);
  return r.body as { id: string; apiKey: string };
}

/** Links a Telegram chat the way the bot does: a code from the api, redeemed from the chat. */
export async function linkTelegram(t: TestApi, apiKey: string, chatId: string): Promise<Channel> {
  const r = await t.call("POST", "/v1/channels/telegram", { token: apiKey });
  if (r.status !== 201) throw new Error(`asking for a link code answered ${r.status}`);
  return linkTelegramChat(t.deps, (r.body as { code: string }).code, chatId);
}

/** An alert as the evaluator publishes it, for `userId`, fired by price `seq`. */
export function sampleAlert(userId: string, seq: number, over: Partial<Alert> = {}): Alert {
  const ruleId = over.ruleId ?? "r_PreviewRule01";
  return {
    id: `${ruleId}:1:${seq}`,
    ruleId,
    ruleRevision: 1,
    userId,
    instrument: "PRND_OXIDE",
    condition: { type: "above", value: 450000 },
    price: { value: 452000, unit: "CNY/t", ts: "2025-02-25T00:00:00Z", source: "smm", seq },
    firedAt: "2025-02-25T00:00:00Z",
    channels: ["email", "telegram"],
    title: "PRND_OXIDE above 450,000 CNY/t",
    text: "PRND_OXIDE at 452,000 CNY/t (smm, 2025-02-25T00:00:00Z) is at or above 450,000 CNY/t.",
    ...over,
  };
}

/** Publishes an alert on `alerts.<userId>` as the evaluator does. */
export async function publishAlert(t: TestApi, alert: Alert, subjectUserId = alert.userId): Promise<void> {
  await publishJson(jetstream(t.nc), subjects.alert(subjectUserId), AlertSchema, alert, { msgId: alert.id });
}
