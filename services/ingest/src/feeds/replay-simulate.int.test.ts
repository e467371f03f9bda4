import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readStream } from "@rea/bus";
import { startTestBus } from "@rea/bus/testing";
import type { TestBus } from "@rea/bus/testing";
import { DeadLetterSchema, INSTRUMENT_CATALOGUE, PriceMessageSchema, STREAMS } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { SMM_2025 } from "@rea/testkit";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ReplayFeedSchema, SimulateFeedSchema } from "../feeds-config.js";
import { PriceGate } from "../price-gate.js";
import { ProgressBoard } from "./progress-bar.js";
import { randomWalk } from "./random-walk.js";
import { runReplay } from "./replay-feed.js";
import type { ReplayProgress } from "./replay-feed.js";
import { runSimulation } from "./simulate-feed.js";

let bus: TestBus;
let nc: NatsConnection;
const catalogue = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i]));
const logger = createLogger("ingest", "silent");
const dir = mkdtempSync(join(tmpdir(), "rea-replay-"));
const NOW = Date.parse("2026-02-02T00:00:00Z");

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
    unitOf: (id) => catalogue.get(id)?.unit,
    instrumentOf: (id) => catalogue.get(id),
    now: () => NOW,
    logger,
  });
const fresh = (): ReplayProgress => ({ lines: 0, published: 0, duplicates: 0, rejected: 0, done: false });

async function stored(stream: string): Promise<unknown[]> {
  const out: unknown[] = [];
  if ((await (await jetstreamManager(nc)).streams.info(stream)).state.messages === 0) return out;
  for await (const m of readStream(nc, { stream })) out.push(JSON.parse(new TextDecoder().decode(m.data)));
  return out;
}
const prices = async () => (await stored(STREAMS.PRICES.name)).map((p) => PriceMessageSchema.parse(p));

describe("replay feed", () => {
  it("replays a CSV file with a header row, rejecting a row whose price is not a number", async () => {
    const file = join(dir, "smm.csv");
    const rows = SMM_2025.slice(0, 3).map((p) => `${p.instrument},${p.price},${p.unit},${p.ts},csv-smm`);
    writeFileSync(
      file,
      [
        "# SMM averages",
        "instrument,price,unit,ts,source",
        ...rows,
        "DY_OXIDE,abc,CNY/kg,2025-03-11T00:00:00Z,csv-smm",
      ].join("\n"),
    );
    const progress = fresh();
    const feed = ReplayFeedSchema.parse({ name: "csv", type: "replay", file, horizonDays: 4000 });
    await runReplay(feed, gate(), logger, new AbortController().signal, progress);
    expect(progress).toEqual({ lines: 4, published: 3, duplicates: 0, rejected: 1, done: true });
    expect((await prices()).map((p) => [p.instrument, p.price, p.ts])).toEqual(
      SMM_2025.slice(0, 3).map((p) => [p.instrument, p.price, p.ts]),
    );
  });

  it("plays observation times at a speed factor with a progress bar on a terminal", async () => {
    const file = join(dir, "speed.jsonl");
    writeFileSync(file, SMM_2025.map((p) => JSON.stringify({ ...p, source: "speed-smm" })).join("\n"));
    const drawn: string[] = [];
    const bar = new ProgressBoard({ write: (s) => drawn.push(s) });
    const progress = fresh();
    // a month of observations in well under a second
    const feed = ReplayFeedSchema.parse({ name: "fast", type: "replay", file, speed: 86_400_000, horizonDays: 4000 });
    await runReplay(feed, gate(), logger, new AbortController().signal, progress, { bar });
    expect(progress).toMatchObject({ lines: SMM_2025.length, published: SMM_2025.length, done: true });
    expect(drawn.at(-2)).toBe(`\r\x1b[2Kfast [####################] ${SMM_2025.length}/${SMM_2025.length} 100%`);
    expect(drawn.at(-1)).toBe("\n");
  });
});

describe("simulate feed", () => {
  const walk = {
    name: "sim",
    type: "simulate",
    seed: 2026,
    instruments: [
      { instrument: "PRND_OXIDE", start: 444000, volatilityPct: 0.6, decimals: 0 },
      { instrument: "SZ300748", start: 15.32, volatilityPct: 1.5 },
    ],
    from: "2026-01-05T00:00:00Z",
    step: "1h",
    count: 24,
    intervalMs: 0,
  };

  it("publishes the seeded walk, one tick a step apart, and the same seed again adds nothing new", async () => {
    const feed = SimulateFeedSchema.parse(walk);
    const first = await runSimulation(feed, gate(), logger, new AbortController().signal);
    expect(first).toMatchObject({ ticks: 24, outcomes: { published: 48, rejected: 0, suspect: 0 }, done: true });
    const expected: string[] = [];
    let i = 0;
    for (const tick of randomWalk(feed.seed, feed.instruments)) {
      if (i === 24) break;
      const ts = new Date(Date.parse("2026-01-05T00:00:00Z") + i++ * 3_600_000).toISOString().replace(".000Z", "Z");
      for (const [instrument, price] of tick) expected.push(`${instrument} ${price} ${ts}`);
    }
    expect((await prices()).map((p) => `${p.instrument} ${p.price} ${p.ts}`)).toEqual(expected);
    const again = await runSimulation(feed, gate(), logger, new AbortController().signal);
    expect(again.outcomes).toEqual({ published: 0, duplicate: 48, rejected: 0, suspect: 0 });
  });

  it("sends its jumps through the outlier guard like any feed", async () => {
    const feed = SimulateFeedSchema.parse({
      ...walk,
      seed: 7,
      source: "sim-jumps",
      instruments: [
        { instrument: "TB_OXIDE", start: 6475, volatilityPct: 0.2, jumpProbability: 0.3, jumpPct: 40, decimals: 0 },
      ],
      count: 60,
    });
    const run = await runSimulation(feed, gate(), logger, new AbortController().signal);
    expect(run.outcomes.suspect).toBeGreaterThan(0);
    expect(run.outcomes.published + run.outcomes.suspect).toBe(60);
    const letters = (await stored(STREAMS.DEADLETTER.name)).map((l) => DeadLetterSchema.parse(l).reason);
    expect(letters.length).toBe(run.outcomes.suspect);
    expect(letters.every((r) => r.startsWith("SUSPECT_MOVE: TB_OXIDE moved"))).toBe(true);
  });
});
