import { readStream } from "@rea/bus";
import { startTestBus } from "@rea/bus/testing";
import type { TestBus } from "@rea/bus/testing";
import { DeadLetterSchema, INSTRUMENT_CATALOGUE, PriceMessageSchema, STREAMS } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { lastStoredPrice } from "./last-stored-price.js";
import { PriceGate } from "./price-gate.js";
import type { GateOptions } from "./price-gate.js";

let bus: TestBus;
let nc: NatsConnection;
const catalogue = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i]));
const logger = createLogger("ingest", "silent");

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

const gate = (extra: Partial<GateOptions> = {}) =>
  new PriceGate({
    js: jetstream(nc),
    unitOf: (id) => catalogue.get(id)?.unit,
    instrumentOf: (id) => catalogue.get(id),
    now: () => Date.parse("2026-02-02T08:00:00Z"),
    logger,
    ...extra,
  });

async function stored(stream: string): Promise<unknown[]> {
  const out: unknown[] = [];
  if ((await (await jetstreamManager(nc)).streams.info(stream)).state.messages === 0) return out;
  for await (const m of readStream(nc, { stream })) out.push(JSON.parse(new TextDecoder().decode(m.data)));
  return out;
}
const prices = async () =>
  (await stored(STREAMS.PRICES.name)).map((p) => {
    const m = PriceMessageSchema.parse(p);
    return `${m.instrument}@${m.ts.slice(0, 10)}=${m.price}`;
  });
const reasons = async () =>
  (await stored(STREAMS.DEADLETTER.name)).map((l) => DeadLetterSchema.parse(l)).map((l) => `${l.subject} ${l.reason}`);
const price = (instrument: string, p: number, date: string, source = "smm") => ({
  instrument,
  price: p,
  unit: catalogue.get(instrument)?.unit ?? "CNY/t",
  ts: `${date}T00:00:00Z`,
  source,
});

describe("outlier guard in the price gate", () => {
  it("holds a move beyond the limit as suspect: not published, dead-lettered with its reason, counted once", async () => {
    const g = gate();
    expect(await g.offer("smm", price("PRND_OXIDE", 444000, "2026-01-28"), 400)).toBe("published");
    expect(await g.offer("smm", price("PRND_OXIDE", 4440000, "2026-01-29"), 400)).toBe("suspect");
    expect(await g.offer("smm", price("PRND_OXIDE", 4440000, "2026-01-29"), 400)).toBe("suspect");
    expect(await g.offer("smm", price("PRND_OXIDE", 446000, "2026-01-30"), 400)).toBe("published");
    expect(await prices()).toEqual(["PRND_OXIDE@2026-01-28=444000", "PRND_OXIDE@2026-01-30=446000"]);
    expect(await reasons()).toEqual([
      "feed.smm SUSPECT_MOVE: PRND_OXIDE moved +900.00% (444000 → 4440000 CNY/t) against the last accepted price of 2026-01-28T00:00:00Z; the limit is 15%",
    ]);
    expect(Object.fromEntries(g.counts("smm").rejected)).toEqual({ SUSPECT_MOVE: 1 });
    expect(g.counts("smm").published).toBe(2);
  });

  it("publishes a real move once the next observation confirms it", async () => {
    const g = gate();
    await g.offer("baotou", price("Y_OXIDE", 57700, "2025-12-31", "baotou"), 400);
    expect(await g.offer("baotou", price("Y_OXIDE", 77000, "2026-01-28", "baotou"), 400)).toBe("suspect");
    expect(await g.offer("baotou", price("Y_OXIDE", 77300, "2026-01-29", "baotou"), 400)).toBe("published");
    expect(await prices()).toEqual(["Y_OXIDE@2025-12-31=57700", "Y_OXIDE@2026-01-29=77300"]);
  });

  it("uses a feed's per-instrument limit instead of the default", async () => {
    const g = gate();
    const tight = { DY_OXIDE: 2 };
    await g.offer("smm", price("DY_OXIDE", 1665, "2026-01-27"), 400, tight);
    expect(await g.offer("smm", price("DY_OXIDE", 1710, "2026-01-28"), 400, tight)).toBe("suspect");
    const loose = { Y_OXIDE: 40 };
    await g.offer("baotou", price("Y_OXIDE", 57700, "2025-12-31", "baotou"), 400, loose);
    expect(await g.offer("baotou", price("Y_OXIDE", 77000, "2026-01-28", "baotou"), 400, loose)).toBe("published");
  });

  it("keeps its reference across a restart by reading the last stored price", async () => {
    await gate().offer("sina", price("SH600111", 23.58, "2026-01-28", "sina"), 400);
    const restarted = gate({ lastPrice: lastStoredPrice(nc) });
    expect(await restarted.offer("sina", price("SH600111", 2.358, "2026-01-29", "sina"), 400)).toBe("suspect");
    expect(await restarted.offer("sina", price("SH600111", 24.1, "2026-01-29", "sina"), 400)).toBe("published");
  });

  it("takes a feed observation's unit from the catalogue and names an unknown instrument", async () => {
    const g = gate();
    const obs = { instrument: "TB_OXIDE", price: 6475, ts: "2026-01-28T00:00:00Z", source: "smm" };
    expect(await g.offerObservation("smm", obs, 400)).toBe("published");
    expect(await g.offerObservation("smm", { ...obs, instrument: "GD_OXIDE" }, 400)).toBe("rejected");
    expect(await g.offerObservation("smm", { ...obs, unit: "CNY/t", ts: "2026-01-29T00:00:00Z" }, 400)).toBe(
      "rejected",
    );
    expect(await prices()).toEqual(["TB_OXIDE@2026-01-28=6475"]);
    expect(await reasons()).toEqual([
      "feed.smm UNKNOWN_INSTRUMENT: unknown instrument GD_OXIDE",
      "feed.smm UNIT_MISMATCH: TB_OXIDE is quoted in CNY/kg, not CNY/t",
    ]);
  });
});
