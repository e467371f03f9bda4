/**
 * Stale rules fire from the evaluator's wall-clock timer, once per gap, and
 * re-arm on the next price.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/api-client.js";
import { storedAlerts } from "../support/market.js";
import { freePort, startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

const ADMIN = "stale-timer-admin-token-0123456789";
let nats: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;
const services: ServiceProcess[] = [];
let api: ReturnType<typeof apiClient>;

beforeAll(async () => {
  nats = await startNatsServer();
  dataDir = mkdtempSync(join(tmpdir(), "rea-stale-"));
  const apiPort = await freePort();
  const env = { NATS_URL: nats.url, DATA_DIR: dataDir, API_ADMIN_TOKEN: ADMIN, API_PORT: String(apiPort) };
  services.push(await startService("api", env));
  services.push(await startService("evaluator", { ...env, STALE_CHECK_INTERVAL_MS: "200" }));
  api = apiClient(`http://127.0.0.1:${apiPort}`);
  nc = await connect({ servers: nats.url });
}, 60_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  await nc?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const fx = (rate: number, minutesAgo: number) => ({
  instrument: "USDCNY",
  price: rate,
  unit: "CNY/USD",
  ts: new Date(Date.now() - minutesAgo * 60_000).toISOString(),
  source: "fx-feed",
});

describe("stale rules", () => {
  it("fire from the wall-clock timer once per gap and re-arm on the next price", async () => {
    const key = (await api("POST", "/v1/users", ADMIN, { name: "FX desk" })).body.apiKey as string;
    expect((await api("POST", "/v1/prices", ADMIN, fx(7.18, 10))).status).toBe(202);
    const rule = await api("POST", "/v1/rules", key, {
      instrument: "USDCNY",
      condition: { type: "stale", after: "5m" },
    });
    expect(rule.status).toBe(201);
    const id = rule.body.id as string;

    const first = await until("a stale alert", async () => {
      const mine = (await storedAlerts(nc)).filter((a) => a.ruleId === id);
      return mine.length > 0 ? mine : undefined;
    });
    expect(first[0]?.title).toBe("USDCNY: no price for 5m");
    await new Promise((r) => setTimeout(r, 1000)); // several more timer ticks: still one alert for this gap
    expect((await storedAlerts(nc)).filter((a) => a.ruleId === id)).toHaveLength(1);

    // the next price ends the gap and re-arms the rule; being 6 minutes old, it is already 5m quiet: a new alert
    expect((await api("POST", "/v1/prices", ADMIN, fx(7.19, 6))).status).toBe(202);
    await until("a second stale alert", async () => {
      const n = (await storedAlerts(nc)).filter((a) => a.ruleId === id).length;
      return n === 2 ? true : undefined;
    });
  }, 60_000);
});
