import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HandleList } from "./handle-list.js";
import { ThresholdIndex } from "./threshold-index.js";

type Op =
  | { op: "insert"; key: number; h: number }
  | { op: "remove"; pick: number }
  | { op: "upTo" | "above"; x: number }
  | { op: "range"; lo: number; hi: number }
  | { op: "clear"; unless: number };

const key = fc.integer({ min: 0, max: 60 }).map((k) => k * 0.5);
const ops = (inserts: number): fc.Arbitrary<Op[]> =>
  fc.array(
    fc.oneof(
      { weight: inserts, arbitrary: fc.record({ op: fc.constant("insert" as const), key, h: fc.nat(100000) }) },
      { weight: 3, arbitrary: fc.record({ op: fc.constant("remove" as const), pick: fc.nat() }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("upTo" as const, "above" as const), x: key }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant("range" as const), lo: key, hi: key }) },
      // rare (one in 40 of these), so that most sequences still grow across several chunks
      { weight: 1, arbitrary: fc.record({ op: fc.constant("clear" as const), unless: fc.nat(39) }) },
    ),
    { minLength: 50, maxLength: 4000, size: "max" },
  );
/** enough entries to span several 512-entry chunks */
const bulk = fc.array(fc.record({ op: fc.constant("insert" as const), key, h: fc.nat(100000) }), {
  minLength: 600,
  maxLength: 3000,
});
/** where floorKey and higherKey are checked after each step: below, between, on and above the keys */
const probes = [-1, 0, 7.25, 15, 29.5, 30, 30.25, 100];
const byPair = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];

describe("ThresholdIndex", () => {
  it("behaves like a sorted list of (key, handle) under inserts, removals, range takes, neighbour queries and clearing, across chunk splits", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          ops(8),
          fc.tuple(bulk, ops(8)).map(([a, b]) => [...a, ...b]),
        ),
        (list) => {
          const index = new ThresholdIndex();
          let model: Array<[number, number]> = [];
          const seen = new Set<number>();
          for (const o of list) {
            if (o.op === "insert") {
              if (seen.has(o.h)) continue;
              seen.add(o.h);
              index.insert(o.key, o.h);
              model.push([o.key, o.h]);
              model.sort(byPair);
            } else if (o.op === "clear") {
              if (o.unless !== 0) continue;
              index.clear();
              model = [];
              seen.clear();
            } else if (o.op === "remove") {
              const victim = model[o.pick % Math.max(1, model.length)];
              if (victim === undefined) continue;
              expect(index.remove(victim[0], victim[1])).toBe(true);
              expect(index.remove(victim[0], victim[1])).toBe(false);
              model = model.filter((e) => e !== victim);
              seen.delete(victim[1]);
            } else {
              const out = new HandleList();
              let take: (e: [number, number]) => boolean;
              if (o.op === "range") {
                const { lo, hi } = o;
                take = (e) => e[0] > lo && e[0] <= hi;
                expect(index.hasInRange(lo, hi)).toBe(model.some(take));
                const kept = new HandleList();
                index.collectRange(lo, hi, kept);
                expect(kept.toArray().sort((a, b) => a - b)).toEqual(
                  model
                    .filter(take)
                    .map((e) => e[1])
                    .sort((a, b) => a - b),
                );
                expect(index.size).toBe(model.length);
                index.takeRange(lo, hi, out);
              } else if (o.op === "upTo") {
                const { x } = o;
                take = (e) => e[0] <= x;
                index.takeUpTo(x, out);
              } else {
                const { x } = o;
                take = (e) => e[0] > x;
                index.takeAbove(x, out);
              }
              const taken = model.filter(take);
              expect(out.toArray().sort((a, b) => a - b)).toEqual(taken.map((e) => e[1]).sort((a, b) => a - b));
              model = model.filter((e) => !take(e));
              for (const e of taken) seen.delete(e[1]);
            }
            expect(index.size).toBe(model.length);
            for (const x of o.op === "insert" ? [] : probes) {
              expect(index.floorKey(x)).toBe(model.filter((e) => e[0] <= x).pop()?.[0] ?? -Infinity);
              expect(index.higherKey(x)).toBe(model.find((e) => e[0] > x)?.[0] ?? Infinity);
            }
            expect(index.minKey()).toBe(model[0]?.[0] ?? Infinity);
            expect(index.maxKey()).toBe(model[model.length - 1]?.[0] ?? -Infinity);
          }
          expect(index.entries()).toEqual(model);
          expect(index.minKey()).toBe(model[0]?.[0] ?? Infinity);
          expect(index.maxKey()).toBe(model[model.length - 1]?.[0] ?? -Infinity);
        },
      ),
      { seed: 450000, numRuns: 60 },
    );
  });

  it("keeps its order whatever order the entries come in: ascending, descending, or ascending runs in descending order", () => {
    const n = 1500;
    const keyOf = (i: number): number => Math.floor(i / 3) * 0.25;
    const arrivals: Record<string, number[]> = {
      ascending: Array.from({ length: n }, (_, i) => i),
      descending: Array.from({ length: n }, (_, i) => n - 1 - i),
      // runs of 37 in order, the runs from the top down (as a price re-arms a ladder chunk by chunk)
      runs: Array.from({ length: Math.ceil(n / 37) }, (_, r) =>
        Array.from({ length: 37 }, (_, j) => r * 37 + j).filter((i) => i < n),
      )
        .reverse()
        .flat(),
    };
    for (const [name, order] of Object.entries(arrivals)) {
      expect(new Set(order).size, name).toBe(n);
      const index = new ThresholdIndex();
      // handles run against the keys on ties: the handle orders entries that share a key
      for (const i of order) index.insert(keyOf(i), n - i);
      const expected = order.map((i): [number, number] => [keyOf(i), n - i]).sort(byPair);
      expect(index.entries(), name).toEqual(expected);
    }
  });

  it("finds one rule among thousands on the same round threshold", () => {
    const index = new ThresholdIndex();
    for (let h = 0; h < 5000; h++) index.insert(450000, h);
    expect(index.remove(450000, 4321)).toBe(true);
    expect(index.remove(450000, 4321)).toBe(false);
    const out = new HandleList();
    index.takeUpTo(449999, out);
    expect(out.toArray()).toEqual([]);
    index.takeUpTo(450000, out);
    expect(out.toArray().sort((a, b) => a - b)).toEqual(
      Array.from({ length: 5000 }, (_, h) => h).filter((h) => h !== 4321),
    );
    expect(index.size).toBe(0);
  });
});
