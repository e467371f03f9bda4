/**
 * Scale-out: two evaluators, each owning half of the partitions, together
 * produce exactly the reference evaluator's alerts, none twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TypedBucket, connectBus, provision, publishJson, silentLogger } from "@rea/bus";
import { BUCKETS, PriceMessageSchema, RuleSchema, STREAMS, priceMsgId, subjects } from "@rea/contracts";
import { partitionOf } from "@rea/evaluator";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { START, pricePath, referenceAlerts, ruleSet, storedAlerts } from "../support/market.js";
import { startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

let nats: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;
const running: ServiceProcess[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectBus({ servers: nats.url, name: "partition-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  dataDir = mkdtempSync(join(tmpdir(), "rea-partitions-"));
});
afterAll(async () => {
  for (const s of running) await s.stop();
  await nc?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("evaluators with split partitions", () => {
  it("produce the reference evaluator's alerts between them, none twice", async () => {
    // the test instruments fall into both halves of four partitions
    const parts = Object.keys(START).map((id) => partitionOf(id, 4));
    expect(parts.some((p) => p <= 1) && parts.some((p) => p >= 2)).toBe(true);

    const rules = ruleSet(21, 80, "2025-01-01T00:00:00Z");
    const bucket = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    for (const r of rules) await bucket.put(`${r.userId}.${r.id}`, r);
    const base = { NATS_URL: nats.url, DATA_DIR: dataDir, EVALUATOR_PARTITIONS: "4" };
    running.push(await startService("evaluator", { ...base, EVALUATOR_OWNS: "0-1", EVALUATOR_DURABLE: "evaluator-a" }));
    running.push(await startService("evaluator", { ...base, EVALUATOR_OWNS: "2-3", EVALUATOR_DURABLE: "evaluator-b" }));

    const js = jetstream(nc);
    for (const p of pricePath(5, 600, Date.parse("2025-01-02T00:00:00Z"))) {
      await publishJson(js, subjects.price(p.instrument), PriceMessageSchema, p, { msgId: priceMsgId(p) });
    }
    const jsm = await jetstreamManager(nc);
    await until(
      "both evaluators to catch up",
      async () => {
        const infos = await Promise.all(
          ["evaluator-a", "evaluator-b"].map((d) => jsm.consumers.info(STREAMS.PRICES.name, d)),
        );
        return infos.every((i) => i.num_pending === 0 && i.num_ack_pending === 0) ? true : undefined;
      },
      60_000,
    );

    const got = await storedAlerts(nc);
    const want = await referenceAlerts(nc, rules);
    expect(want.length).toBeGreaterThan(30);
    const ids = got.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(want.map((a) => a.id).sort());
    // alerts came from instruments of both halves, so both evaluators did work
    const owners = new Set(got.map((a) => (partitionOf(a.instrument, 4) <= 1 ? "a" : "b")));
    expect(owners).toEqual(new Set(["a", "b"]));
  }, 120_000);
});
