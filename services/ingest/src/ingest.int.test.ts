import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStream } from "@rea/bus";
import { startTestBus } from "@rea/bus/testing";
import type { TestBus } from "@rea/bus/testing";
import { DeadLetterSchema, INSTRUMENT_CATALOGUE, PriceMessageSchema, STREAMS } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { SMM_2025 } from "@rea/testkit";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ReplayFeedSchema, loadFeeds } from "./feeds-config.js";
import { runReplay } from "./feeds/replay-feed.js";
import { PriceGate } from "./price-gate.js";

let bus: TestBus;
let nc: NatsConnection;
const units = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i.unit]));
const logger = createLogger("ingest", "silent");
const dir = mkdtempSync(join(tmpdir(), "rea-ingest-"));

beforeAll(async () => {
  bus = await startTestBus();
  nc = bus.nc;
});
afterAll(async () => {
  await bus.stop();
});
beforeEach(async () => {
  await bus.purge(STREAMS.PRICES.name, STREAMS.DEADLETTER.name);
});

const gate = () =>
  new PriceGate({
    js: jetstream(nc),
    unitOf: (id) => units.get(id),
    now: () => Date.parse("2025-03-11T08:00:00Z"),
    logger,
  });

async function stored(stream: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const m of readStream(nc, { stream })) out.push(JSON.parse(new TextDecoder().decode(m.data)));
  return out;
}

describe("PriceGate", () => {
  it("publishes valid prices once and dead-letters each rejected one with its reason", async () => {
    const g = gate();
    const ok = { ...SMM_2025[0]!, source: "smm-gate" };
    expect(await g.offer("smm", ok, 400)).toBe("published");
    expect(await g.offer("smm", ok, 400)).toBe("duplicate");
    expect(await g.offer("smm", { ...ok, price: 0 }, 400)).toBe("rejected");
    expect(await g.offer("smm", { ...ok, instrument: "NDFEB" }, 400)).toBe("rejected");
    expect(await g.offer("smm", { ...ok, unit: "CNY/kg" }, 400)).toBe("rejected");
    expect(await g.offer("smm", { ...ok, ts: "2025-03-12T00:00:00Z" }, 400)).toBe("rejected");
    expect(Object.fromEntries(g.rejections)).toEqual({
      INVALID: 1,
      UNKNOWN_INSTRUMENT: 1,
      UNIT_MISMATCH: 1,
      FUTURE_TIMESTAMP: 1,
    });
    expect(await stored(STREAMS.PRICES.name)).toEqual([ok]);
    const letters = (await stored(STREAMS.DEADLETTER.name)).map((l) => DeadLetterSchema.parse(l));
    expect(letters.map((l) => [l.origin, l.subject, l.reason])).toEqual([
      ["ingest", "feed.smm", "INVALID: price: price must be greater than 0"],
      ["ingest", "feed.smm", "UNKNOWN_INSTRUMENT: unknown instrument NDFEB"],
      ["ingest", "feed.smm", "UNIT_MISMATCH: PRND_OXIDE is quoted in CNY/t, not CNY/kg"],
      ["ingest", "feed.smm", "FUTURE_TIMESTAMP: ts 2025-03-12T00:00:00Z is more than 5 minutes in the future"],
    ]);
  });
});

describe("replay feed", () => {
  it("replays a JSONL file in order, skipping blank and comment lines and reporting bad ones", async () => {
    const file = join(dir, "prices.jsonl");
    const lines = ["# SMM averages", ...SMM_2025.map((p) => JSON.stringify(p)), "", "{broken"];
    writeFileSync(file, lines.join("\n"));
    const progress = { lines: 0, published: 0, duplicates: 0, rejected: 0, done: false };
    await runReplay(
      ReplayFeedSchema.parse({ name: "smm", type: "replay", file }),
      gate(),
      logger,
      new AbortController().signal,
      progress,
    );
    expect(progress).toEqual({
      lines: SMM_2025.length + 1,
      published: SMM_2025.length,
      duplicates: 0,
      rejected: 1,
      done: true,
    });
    const prices = (await stored(STREAMS.PRICES.name)).map((p) => PriceMessageSchema.parse(p));
    expect(prices.map((p) => `${p.instrument}@${p.ts.slice(0, 10)}=${p.price}`)).toEqual(
      SMM_2025.map((p) => `${p.instrument}@${p.ts.slice(0, 10)}=${p.price}`),
    );
  });

  it("ships a demo data set that passes the gate entirely, outlier guard included", async () => {
    const [demo] = await loadFeeds(join(import.meta.dirname, "../../../infra/feeds/demo.json"));
    if (demo?.type !== "replay") throw new Error("the demo feed is a replay");
    const progress = { lines: 0, published: 0, duplicates: 0, rejected: 0, done: false };
    const catalogue = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i]));
    const g = new PriceGate({
      js: jetstream(nc),
      unitOf: (id) => units.get(id),
      instrumentOf: (id) => catalogue.get(id),
      now: () => Date.parse("2026-11-22T00:00:00Z"),
      logger,
    });
    await runReplay({ ...demo, intervalMs: 0 }, g, logger, new AbortController().signal, progress);
    expect(progress.rejected).toBe(0);
    // the quoted SMM points were published by the previous test: the stream drops them as duplicates
    expect(progress.published + progress.duplicates).toBe(progress.lines);
    expect(progress.duplicates).toBe(SMM_2025.length);
    expect(progress.lines).toBeGreaterThan(100);
  });
});

describe("feeds file", () => {
  it("names the bad field of a feeds file", async () => {
    const file = join(dir, "feeds.json");
    writeFileSync(file, JSON.stringify({ feeds: [{ name: "Demo Feed", type: "replay", file: "x.jsonl" }] }));
    await expect(loadFeeds(file)).rejects.toThrow(/is invalid: feeds\.0\.name: feed names are 1-40 characters/);
    writeFileSync(file, JSON.stringify({ feeds: [{ name: "x", type: "scrape" }] }));
    await expect(loadFeeds(file)).rejects.toThrow(/feeds\.0\.type/);
  });

  it("resolves feed files relative to the feeds file", async () => {
    const file = join(dir, "ok.json");
    writeFileSync(file, JSON.stringify({ feeds: [{ name: "x", type: "replay", file: "data/p.jsonl" }] }));
    expect((await loadFeeds(file))[0]).toMatchObject({
      file: join(dir, "data/p.jsonl"),
      intervalMs: 0,
      horizonDays: 400,
    });
  });
});
