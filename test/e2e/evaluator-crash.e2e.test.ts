/**
 * Crash safety of the evaluator: it is killed with SIGKILL at random moments
 * while prices stream in and restarted each time. In the end the ALERTS stream
 * must hold exactly the alerts the reference evaluator produces for the same
 * prices: none lost, none twice.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TypedBucket, connectBus, provision, publishJson, silentLogger } from "@rea/bus";
import { BUCKETS, PriceMessageSchema, RuleSchema, STREAMS, priceMsgId, subjects } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32, pricePath, referenceAlerts, ruleSet, storedAlerts } from "../support/market.js";
import { startService, until } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

const KILLS = Number(process.env.CRASH_KILLS ?? 20);
const PRICES = 1200;
let nats: NatsServerHandle;
let nc: NatsConnection;
let dataDir: string;

beforeAll(async () => {
  nats = await startNatsServer();
  nc = await connectBus({ servers: nats.url, name: "crash-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  dataDir = mkdtempSync(join(tmpdir(), "rea-crash-"));
});
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("evaluator crash safety", () => {
  it(`loses no alert and repeats none when killed ${KILLS} times mid-stream`, async () => {
    const createdAt = "2025-01-01T00:00:00Z";
    const rules = ruleSet(7, 60, createdAt);
    const bucket = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    for (const r of rules) await bucket.put(`${r.userId}.${r.id}`, r);
    const prices = pricePath(11, PRICES, Date.parse("2025-01-02T00:00:00Z"));

    const env = { NATS_URL: nats.url, DATA_DIR: dataDir, SNAPSHOT_INTERVAL_MS: "150", LOG_LEVEL: "info" };
    const runs: ServiceProcess[] = [];
    let evaluator: ServiceProcess = await startService("evaluator", env);
    runs.push(evaluator);
    // one batch of prices per kill, so that every kill lands while prices are being evaluated
    const js = jetstream(nc);
    const batch = Math.ceil(PRICES / (KILLS + 1));
    const publish = async (from: number): Promise<void> => {
      for (const p of prices.slice(from, from + batch)) {
        await publishJson(js, subjects.price(p.instrument), PriceMessageSchema, p, { msgId: priceMsgId(p) });
      }
    };
    const rnd = mulberry32(3);
    for (let k = 0; k < KILLS; k++) {
      const publishing = publish(k * batch);
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 250)));
      await evaluator.kill();
      await publishing;
      evaluator = await startService("evaluator", env);
      runs.push(evaluator);
    }
    await publish(KILLS * batch);
    const jsm = await jetstreamManager(nc);
    await until(
      "the evaluator to catch up",
      async () => {
        const info = await jsm.consumers.info(STREAMS.PRICES.name, "evaluator");
        return info.num_pending === 0 && info.num_ack_pending === 0 ? true : undefined;
      },
      60_000,
    );
    expect(await evaluator.stop()).toBe(0);

    const got = await storedAlerts(nc);
    const want = await referenceAlerts(nc, rules);
    expect(want.length).toBeGreaterThan(50); // the workload really fires alerts
    if (process.env.CRASH_DEBUG) {
      runs.forEach((r, i) =>
        console.log(
          i,
          r.logs
            .filter((l) => /rebuilt|running|dead|failed/.test(l))
            .map((l) => l.slice(60, 260))
            .join("\n   "),
        ),
      );
    }
    const ids = got.map((a) => a.id);
    expect(new Set(ids).size).toBe(ids.length); // none twice
    expect([...ids].sort()).toEqual(want.map((a) => a.id).sort()); // none lost, none invented
    const byId = new Map(got.map((a) => [a.id, a]));
    for (const a of want) expect(byId.get(a.id)).toEqual(a);
  }, 180_000);
});
