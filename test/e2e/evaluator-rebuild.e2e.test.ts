/**
 * A price the evaluator refuses live (here: published on another instrument's
 * subject) goes to the dead letter and changes no rule. Rebuilding the state
 * after a crash replays the same prices: it must refuse that price too, or the
 * rebuilt state differs from the one before the crash.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TypedBucket, connectBus, provision, publishJson, readStream, silentLogger } from "@rea/bus";
import { BUCKETS, PriceMessageSchema, RuleSchema, STREAMS, priceMsgId, subjects } from "@rea/contracts";
import type { PriceMessage, Rule } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedAlerts } from "../support/market.js";
import { startService, until } from "../support/processes.js";

let nats: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectBus({ servers: nats.url, name: "rebuild-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  dataDir = mkdtempSync(join(tmpdir(), "rea-rebuild-"));
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const price = (value: number, day: number): PriceMessage => ({
  instrument: "PRND_OXIDE",
  price: value,
  unit: "CNY/t",
  ts: `2025-02-${String(day).padStart(2, "0")}T00:00:00Z`,
  source: "smm",
});

async function caughtUp(): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await until("the evaluator to catch up", async () => {
    const info = await jsm.consumers.info(STREAMS.PRICES.name, "evaluator");
    return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
  });
}

async function deadLetterCount(): Promise<number> {
  let n = 0;
  for await (const _ of readStream(nc, { stream: STREAMS.DEADLETTER.name })) n++;
  return n;
}

describe("evaluator state rebuilt after a crash", () => {
  it("refuses on replay the price it refused live", async () => {
    const createdAt = "2025-02-01T00:00:00Z";
    const rule: Rule = {
      id: "r_rebuild0000001",
      userId: "u_rebuild0000001",
      revision: 1,
      instrument: "PRND_OXIDE",
      condition: { type: "cross_up", value: 450_000 },
      unit: "CNY/t",
      once: false,
      expiresAt: null,
      channels: ["email"],
      enabled: true,
      createdAt,
      updatedAt: createdAt,
    };
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    await rules.put(`${rule.userId}.${rule.id}`, rule);
    // no snapshot after the start: the restart rebuilds from the stream
    const env = { NATS_URL: nats.url, DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "3600000" };
    const first = await startService("evaluator", env);
    const js = jetstream(nc);
    const legit = price(440_000, 3);
    await publishJson(js, subjects.price(legit.instrument), PriceMessageSchema, legit, { msgId: priceMsgId(legit) });
    // a PRND_OXIDE price on DY_OXIDE's subject: refused, so the previous price stays 440,000
    await js.publish(subjects.price("DY_OXIDE"), JSON.stringify(price(500_000, 4)));
    await caughtUp();
    expect(await deadLetterCount()).toBe(1);
    await first.kill();

    const second = await startService("evaluator", env);
    const next = price(460_000, 5);
    await publishJson(js, subjects.price(next.instrument), PriceMessageSchema, next, { msgId: priceMsgId(next) });
    await caughtUp();
    expect(await second.stop()).toBe(0);
    // 440,000 -> 460,000 crosses 450,000 up; after 500,000 it would not
    const alerts = await storedAlerts(nc);
    expect(alerts.map((a) => [a.ruleId, a.price.value])).toEqual([[rule.id, 460_000]]);
  }, 60_000);
});
