import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARRIVAL, OBS, PriceHistory, TS_CODE, isoForm } from "./price-history.js";
import { addObservation, pruneHistory } from "./reference-history.js";
import type { SimpleHistory } from "./reference-history.js";

const NAMES = {
  new: ARRIVAL.NEW,
  late: ARRIVAL.LATE,
  duplicate: ARRIVAL.DUPLICATE,
  beyond: ARRIVAL.BEYOND_HISTORY,
} as const;

describe("PriceHistory", () => {
  it("classifies and keeps observations exactly like the plain-array history", () => {
    const obs = fc.record({
      t: fc.integer({ min: 0, max: 200 }),
      p: fc.integer({ min: 1, max: 4 }),
      s: fc.constantFrom("smm", "fx"),
      form: fc.nat(4),
    });
    // every way a ts can arrive: in ISO form (with or without milliseconds, as
    // rebuilt from the time), ISO-looking but for another time, with an offset, free text
    const tsOf = (tsMs: number, form: number): string => {
      const iso = new Date(tsMs).toISOString();
      if (form === 0) return iso;
      if (form === 1) return iso.replace(".000Z", "Z");
      if (form === 2) return new Date(tsMs + 1).toISOString();
      if (form === 3) return iso.replace("Z", "+00:00");
      return `t${tsMs}`;
    };
    const step = fc.record({
      o: obs,
      forward: fc.nat(3),
      needMs: fc.constantFrom(0, 5, 20, 60),
      needObs: fc.constantFrom(0, 1, 3, 8),
      which: fc.nat(2),
    });
    // three histories at once: their storage comes from one pool, and a block one gives up is reused by another
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 600, size: "max" }), (steps) => {
        const hs = [0, 1, 2].map(() => {
          const simple: SimpleHistory = { list: [], floorMs: null };
          return { h: new PriceHistory(), simple, clock: 0 };
        });
        for (const { o, forward, needMs, needObs, which } of steps) {
          const one = hs[which];
          if (one === undefined) throw new Error(`no history ${which}`);
          const { h, simple } = one;
          one.clock += forward;
          const t = (forward === 0 ? o.t : one.clock) * 1000;
          const ts = tsOf(t, o.form);
          const a = h.add(t, o.p, ts, o.s);
          const b = addObservation(simple, { tsMs: t, price: o.p, ts, source: o.s });
          expect(a).toBe(NAMES[b]);
          if (a === ARRIVAL.NEW) {
            h.prune(needMs * 1000, needObs);
            pruneHistory(simple, needMs * 1000, needObs);
          }
          for (const x of hs) {
            expect(x.h.toJSON()).toEqual({
              tsMs: x.simple.list.map((y) => y.tsMs),
              price: x.simple.list.map((y) => y.price),
              ts: x.simple.list.map((y) => y.ts),
              source: x.simple.list.map((y) => y.source),
            });
            expect(x.h.floorMs).toBe(x.simple.floorMs);
          }
        }
      }),
      { seed: 415000, numRuns: 120 },
    );
  });

  it("rebuilds a ts from the time only when it is exactly the ISO form of that time", () => {
    const at = (ts: string): number => isoForm(ts, Date.parse(ts));
    expect(at("2025-02-28T00:00:00.000Z")).toBe(TS_CODE.ISO_MS);
    expect(at("2025-02-28T07:30:15Z")).toBe(TS_CODE.ISO_S);
    expect(at("2024-02-29T00:00:00Z")).toBe(TS_CODE.ISO_S);
    expect(at("0999-12-31T23:59:59.999Z")).toBe(TS_CODE.ISO_MS);
    expect(isoForm("2025-02-28T01:15:00Z", Date.parse("2025-02-28T01:15:00Z"))).toBe(TS_CODE.ISO_S);
    expect(isoForm("2025-02-28T00:75:00Z", Date.parse("2025-02-28T01:15:00Z"))).toBe(TS_CODE.ODD);
    expect(isoForm("2025-02-28T00:00:00.000Z", Date.parse("2025-02-28T00:00:00.000Z") + 0.5)).toBe(TS_CODE.ODD);
    expect(isoForm("2025-02-28T00:00:00Z", Date.parse("2025-02-28T00:00:01Z"))).toBe(TS_CODE.ODD);
    expect(isoForm("2025-02-29T00:00:00Z", Date.parse("2025-03-01T00:00:00Z"))).toBe(TS_CODE.ODD);
    expect(isoForm("2025-04-31T00:00:00Z", Date.parse("2025-05-01T00:00:00Z"))).toBe(TS_CODE.ODD);
    expect(isoForm("1900-02-29T00:00:00Z", Date.parse("1900-03-01T00:00:00Z"))).toBe(TS_CODE.ODD);
    for (const ts of [
      "2025-02-28T08:00:00+08:00",
      "2025-02-28T00:00:00.0Z",
      "2025-02-28 00:00:00.000Z",
      "2025-02-28T00:00:00.000z",
      "2025-02-28T24:00:00.000Z",
      "+2025-02-28T00:00:00Z",
    ])
      expect(at(ts), ts).toBe(TS_CODE.ODD);
  });

  it("keeps a sliding span in a block of at most four times the span", () => {
    // a long-running evaluator: each price appended, everything over 100 back dropped
    const h = new PriceHistory();
    let largest = 0;
    for (let i = 0; i < 20_000; i++) {
      const t = i * 1000;
      h.add(t, 100 + (i % 7), new Date(t).toISOString(), "smm");
      h.prune(0, 100);
      largest = Math.max(largest, h.tp.length / OBS);
    }
    expect(h.toJSON().price).toHaveLength(101);
    expect(h.priceAt(h.back(100))).toBe(100 + ((20_000 - 101) % 7));
    expect(largest).toBeLessThanOrEqual(4 * 101);
  });

  it("finds the latest observation at or before a time, and N observations back", () => {
    const h = new PriceHistory();
    for (const [t, p] of [
      [10, 1],
      [20, 2],
      [20, 3],
      [30, 4],
    ] as const)
      h.add(t, p, String(t), "smm");
    expect(h.priceAt(h.atOrBefore(25))).toBe(3);
    expect(h.atOrBefore(5)).toBe(-1);
    expect(h.priceAt(h.back(3))).toBe(1);
    expect(h.back(4)).toBe(-1);
  });
});
