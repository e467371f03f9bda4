import { describe, expect, it } from "vitest";
import { SimulatedInstrumentSchema } from "../feeds-config.js";
import { randomWalk } from "./random-walk.js";

const instruments = [
  SimulatedInstrumentSchema.parse({ instrument: "PRND_OXIDE", start: 444000, volatilityPct: 0.6, decimals: 0 }),
  SimulatedInstrumentSchema.parse({ instrument: "SZ300748", start: 15.32, volatilityPct: 2 }),
];

function series(seed: number, ticks: number, list = instruments): Array<Record<string, number>> {
  const out: Array<Record<string, number>> = [];
  for (const tick of randomWalk(seed, list)) {
    if (out.length === ticks) break;
    out.push(Object.fromEntries(tick));
  }
  return out;
}

describe("seeded random walk", () => {
  it("starts at the start prices and gives the same series for the same seed", () => {
    const a = series(42, 200);
    expect(a[0]).toEqual({ PRND_OXIDE: 444000, SZ300748: 15.32 });
    expect(series(42, 200)).toEqual(a);
    expect(series(43, 200)).not.toEqual(a);
  });

  it("moves by about the volatility at each step and rounds to the instrument's decimals", () => {
    const s = series(7, 500).map((t) => t.PRND_OXIDE ?? 0);
    const moves = s.slice(1).map((p, i) => Math.abs(Math.log(p / (s[i] ?? p))) * 100);
    expect(Math.max(...moves)).toBeLessThan(0.6 * 5);
    expect(moves.filter((m) => m > 0).length).toBeGreaterThan(400);
    expect(s.every(Number.isInteger)).toBe(true);
  });

  it("jumps by the jump size when a jump comes up", () => {
    const jumpy = [
      SimulatedInstrumentSchema.parse({
        instrument: "HK00769",
        start: 0.66,
        volatilityPct: 0,
        jumpProbability: 1,
        jumpPct: 30,
        decimals: 4,
      }),
    ];
    const s = series(1, 20, jumpy).map((t) => t.HK00769 ?? 0);
    for (let i = 1; i < s.length; i++) {
      const ratio = (s[i] ?? 0) / (s[i - 1] ?? 1);
      expect([1.3, 0.7].some((r) => Math.abs(ratio - r) < 0.001)).toBe(true);
    }
  });
});
