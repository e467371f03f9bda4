import { AppError, BUCKETS, RuleSchema } from "@rea/contracts";
import type { Rule } from "@rea/contracts";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectBus } from "./connection.js";
import { silentLogger } from "./logger.js";
import { provision } from "./provision.js";
import { collectServiceStats, registerService } from "./service-registry.js";
import type { BucketChange } from "./typed-bucket.js";
import { TypedBucket } from "./typed-bucket.js";

let server: NatsServerHandle;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
});
afterAll(async () => {
  await nc.close();
  await server.stop();
});

const rule = (id: string, value: number): Rule => ({
  id,
  userId: "u_demo0001",
  revision: 1,
  instrument: "PRND_OXIDE",
  condition: { type: "above", value },
  unit: "CNY/t",
  once: false,
  expiresAt: null,
  channels: ["email"],
  enabled: true,
  createdAt: "2025-02-01T00:00:00Z",
  updatedAt: "2025-02-01T00:00:00Z",
});

describe("TypedBucket", () => {
  it("delivers existing entries first, then every put and delete in order", async () => {
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    await rules.put("u_demo0001.r_aaaaaaaa", rule("r_aaaaaaaa", 450000));
    const changes: BucketChange<Rule>[] = [];
    const view = await rules.live(
      (c) => changes.push(c),
      () => undefined,
    );
    expect(changes.map((c) => [c.op, c.key])).toEqual([["put", "u_demo0001.r_aaaaaaaa"]]);
    await rules.put("u_demo0001.r_bbbbbbbb", rule("r_bbbbbbbb", 460000));
    await rules.delete("u_demo0001.r_aaaaaaaa");
    const end = Date.now() + 5000;
    while (changes.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    view.stop();
    expect(changes.map((c) => [c.op, c.key])).toEqual([
      ["put", "u_demo0001.r_aaaaaaaa"],
      ["put", "u_demo0001.r_bbbbbbbb"],
      ["delete", "u_demo0001.r_aaaaaaaa"],
    ]);
  });

  it("hands the current entries over in one array when asked, and later changes one by one", async () => {
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    await rules.put("u_demo0002.r_ffffffff", rule("r_ffffffff", 450000));
    await rules.put("u_demo0002.r_gggggggg", rule("r_gggggggg", 455000));
    const batches: string[][] = [];
    const changes: BucketChange<Rule>[] = [];
    const view = await rules.live(
      (c) => changes.push(c),
      () => undefined,
      // entries of the tests before this one are in the bucket too
      (current) => batches.push(current.map((c) => `${c.op} ${c.key}`).filter((c) => c.includes("u_demo0002"))),
    );
    expect(batches).toEqual([["put u_demo0002.r_ffffffff", "put u_demo0002.r_gggggggg"]]);
    expect(changes).toEqual([]);
    await rules.delete("u_demo0002.r_ffffffff");
    const end = Date.now() + 5000;
    while (changes.length < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    view.stop();
    expect(changes.map((c) => [c.op, c.key])).toEqual([["delete", "u_demo0002.r_ffffffff"]]);
    expect(batches).toHaveLength(1);
    await rules.delete("u_demo0002.r_gggggggg");
  });

  it("reports an invalid stored record instead of passing it on", async () => {
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    await rules.kv.put("u_demo0001.r_cccccccc", JSON.stringify({ id: "r_cccccccc" }));
    const invalid: string[] = [];
    const view = await rules.live(
      () => undefined,
      (key) => invalid.push(key),
    );
    view.stop();
    expect(invalid).toEqual(["u_demo0001.r_cccccccc"]);
    await rules.delete("u_demo0001.r_cccccccc");
  });

  it("refuses to store an invalid record and rejects a stale compare-and-set", async () => {
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    await expect(rules.put("x.r_dddddddd", { ...rule("r_dddddddd", 1), revision: 0 })).rejects.toMatchObject({
      code: "VALIDATION",
    });
    const rev = await rules.put("x.r_eeeeeeee", rule("r_eeeeeeee", 1));
    await rules.update("x.r_eeeeeeee", rule("r_eeeeeeee", 2), rev);
    const err = await rules.update("x.r_eeeeeeee", rule("r_eeeeeeee", 3), rev).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("CONFLICT");
  });
});

describe("registerService", () => {
  it("answers $SRV.PING and $SRV.STATS with its name, version and status", async () => {
    const svc = await registerService(nc, {
      name: "evaluator",
      version: "0.1.0",
      description: "test",
      status: () => ({ lastSeq: 42 }),
    });
    const ping = (await nc.request("$SRV.PING.evaluator", "", { timeout: 1000 })).json<{
      type: string;
      name: string;
      id: string;
    }>();
    expect(ping).toMatchObject({ type: "io.nats.micro.v1.ping_response", name: "evaluator", id: svc.id });
    const stats = await collectServiceStats(nc, 300);
    expect(stats).toHaveLength(1);
    expect(stats[0]?.endpoints[0]?.data).toEqual({ lastSeq: 42 });
    await svc.stop();
  });
});
