import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ARRIVAL, PriceHistory } from "./price-history.js";
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
    });
    const step = fc.record({
      o: obs,
      forward: fc.nat(3),
      needMs: fc.constantFrom(0, 5, 20, 60),
      needObs: fc.constantFrom(0, 1, 3, 8),
    });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 400, size: "max" }), (steps) => {
        const h = new PriceHistory();
        const simple: SimpleHistory = { list: [], floorMs: null };
        let clock = 0;
        for (const { o, forward, needMs, needObs } of steps) {
          clock += forward;
          const t = forward === 0 ? o.t : clock;
          const a = h.add(t, o.p, `t${t}`, o.s);
          const b = addObservation(simple, { tsMs: t, price: o.p, ts: `t${t}`, source: o.s });
          expect(a).toBe(NAMES[b]);
          if (a === ARRIVAL.NEW) {
            h.prune(needMs, needObs);
            pruneHistory(simple, needMs, needObs);
          }
          expect(h.toJSON()).toEqual({
            tsMs: simple.list.map((x) => x.tsMs),
            price: simple.list.map((x) => x.price),
            ts: simple.list.map((x) => x.ts),
            source: simple.list.map((x) => x.source),
          });
          expect(h.floorMs).toBe(simple.floorMs);
        }
      }),
      { seed: 415000, numRuns: 200 },
    );
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
