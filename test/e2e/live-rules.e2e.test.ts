/**
 * Rules are followed live: a rule created, edited or deleted through the api
 * changes what fires on the very next price, with no pause and no restart;
 * and an evaluator that restarts from its snapshot drops the rules deleted
 * while it was down.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { STREAMS } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient } from "../support/api-client.js";
import { storedAlerts } from "../support/market.js";
import { freePort, startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

const ADMIN = "live-rules-admin-token-0123456789";
let nats: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;
const services: ServiceProcess[] = [];
let api: ReturnType<typeof apiClient>;
let env: Record<string, string>;

beforeAll(async () => {
  nats = await startNatsServer();
  dataDir = mkdtempSync(join(tmpdir(), "rea-live-"));
  const apiPort = await freePort();
  env = { NATS_URL: nats.url, DATA_DIR: dataDir, API_ADMIN_TOKEN: ADMIN, API_PORT: String(apiPort) };
  services.push(await startService("api", env));
  services.push(await startService("evaluator", env));
  api = apiClient(`http://127.0.0.1:${apiPort}`);
  nc = await connect({ servers: nats.url });
}, 60_000);

afterAll(async () => {
  for (const s of services) await s.stop();
  await nc?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

let minute = 0;
/** Posts a price and waits until the evaluator has processed it. */
async function price(value: number): Promise<void> {
  const ts = new Date(Date.now() - 60 * 60_000 + ++minute * 60_000).toISOString();
  const r = await api("POST", "/v1/prices", ADMIN, {
    instrument: "PRND_OXIDE",
    price: value,
    unit: "CNY/t",
    ts,
    source: "smm",
  });
  expect(r.status).toBe(202);
  const jsm = await jetstreamManager(nc);
  await until("the evaluator to process the price", async () => {
    const info = await jsm.consumers.info(STREAMS.PRICES.name, "evaluator");
    return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
  });
}

async function alertsOf(ruleId: string): Promise<string[]> {
  return (await storedAlerts(nc)).filter((a) => a.ruleId === ruleId).map((a) => `${a.ruleRevision}:${a.price.value}`);
}

describe("live rule changes", () => {
  it("apply from the very next price after create, edit and delete", async () => {
    const user = await api("POST", "/v1/users", ADMIN, { name: "Trader" });
    const key = user.body.apiKey as string;
    await price(445000); // a price before the rule exists

    const created = await api("POST", "/v1/rules", key, {
      instrument: "PRND_OXIDE",
      condition: { type: "above", value: 450000 },
      channels: ["email"],
    });
    expect(created.status).toBe(201);
    expect(created.body.state).toMatchObject({ status: "armed", revision: 1 });
    const id = created.body.id as string;
    await price(451000);
    expect(await alertsOf(id)).toEqual(["1:451000"]);

    // revision 1 fired at 451,000 and stays disarmed (no dip below 450,000): it would not fire at 461,000.
    // The edit re-arms (451,000 is already below the new threshold), so revision 2 fires on the next price.
    const edited = await api("PATCH", `/v1/rules/${id}`, key, { condition: { type: "above", value: 460000 } });
    expect(edited.body).toMatchObject({ revision: 2, state: { status: "armed", revision: 2 } });
    await price(461000);
    expect(await alertsOf(id)).toEqual(["1:451000", "2:461000"]);

    await price(455000); // re-arms revision 2
    expect((await api("DELETE", `/v1/rules/${id}`, key)).status).toBe(204);
    await price(462000); // would fire if the rule still existed
    expect(await alertsOf(id)).toEqual(["1:451000", "2:461000"]);
  }, 60_000);

  it("forget after a restart a rule deleted while the evaluator was down", async () => {
    const user = await api("POST", "/v1/users", ADMIN, { name: "Trader on leave" });
    const key = user.body.apiKey as string;
    const make = async (value: number): Promise<string> => {
      const r = await api("POST", "/v1/rules", key, {
        instrument: "PRND_OXIDE",
        condition: { type: "above", value },
        channels: ["email"],
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    const kept = await make(470000);
    const dropped = await make(471000);
    await price(465000); // both armed and in the snapshot the evaluator saves when it stops
    const evaluator = services.find((s) => s.name === "evaluator");
    expect(evaluator).toBeDefined();
    await evaluator?.stop();
    services.splice(services.indexOf(evaluator as ServiceProcess), 1);
    expect((await api("DELETE", `/v1/rules/${dropped}`, key)).status).toBe(204);
    services.push(await startService("evaluator", env));
    await price(472000);
    expect(await alertsOf(kept)).toEqual(["1:472000"]);
    expect(await alertsOf(dropped)).toEqual([]);
  }, 60_000);
});
