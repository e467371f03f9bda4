/**
 * The benchmark's market: catalogue instruments at realistic levels, rules
 * around those levels, users with one active email channel each, and a seeded
 * random walk of prices. Everything is a pure function of the seed.
 */
import { createHash } from "node:crypto";
import { INSTRUMENT_CATALOGUE } from "@rea/contracts";
import type { Channel, Condition, PriceMessage, Rule, User } from "@rea/contracts";

export interface BenchInstrument {
  id: string;
  unit: string;
  /** the level the walk starts at and reverts towards */
  level: number;
}

/**
 * Rare-earth levels are the seed figures (SMM 2025-02-28, Baotou 2026-01-28).
 * The equity levels are invented for the load test (A-shares 20-40 CNY, Hong Kong 10-30 HKD).
 */
const LEVELS: ReadonlyArray<readonly [string, number]> = [
  ["PRND_OXIDE", 444_000],
  ["PRND_ALLOY", 546_500],
  ["ND_OXIDE", 732_500],
  ["PR_OXIDE", 733_300],
  ["Y_OXIDE", 77_000],
  ["DY_OXIDE", 1_710],
  ["TB_OXIDE", 6_475],
  ["SH600111", 32],
  ["SH600010", 21],
  ["SH600259", 24],
  ["SH600549", 27],
  ["SZ300748", 36],
  ["SZ300224", 22],
  ["SZ000831", 38],
  ["SZ300066", 25],
  ["HK00769", 12],
  ["HK06680", 18],
];

export const BENCH_INSTRUMENTS: readonly BenchInstrument[] = LEVELS.map(([id, level]) => {
  const inst = INSTRUMENT_CATALOGUE.find((i) => i.id === id);
  if (inst === undefined) throw new Error(`${id} is not in the catalogue`);
  return { id, unit: inst.unit, level };
});

export const SOURCE = "bench";
/** event time between two prices: each of the 17 instruments is quoted about every 17 minutes */
export const STEP_MS = 60_000;

/** mulberry32: small, fast and seeded */
export class Prng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100;
const pad = (i: number): string => String(i).padStart(8, "0");
export const userIdOf = (i: number): string => `u_bench${pad(i)}`;
export const channelIdOf = (i: number): string => `c_bench${pad(i)}`;

/**
 * A seeded random walk of prices: each step picks an instrument and moves it
 * 0-3% up or down, leaning back towards its level so prices stay realistic.
 * Timestamps rise by `stepMs` per message from `startMs`.
 */
export class PriceWalk {
  private readonly rng: Prng;
  private readonly current = new Map(BENCH_INSTRUMENTS.map((i) => [i.id, i.level]));
  private k = 0;

  constructor(
    seed: number,
    private readonly startMs: number,
    private readonly stepMs = STEP_MS,
  ) {
    this.rng = new Prng(seed);
  }

  take(count: number): PriceMessage[] {
    const out: PriceMessage[] = [];
    for (let n = 0; n < count; n++, this.k++) {
      const inst = this.rng.pick(BENCH_INSTRUMENTS);
      const price = this.current.get(inst.id) ?? inst.level;
      const pUp = Math.min(0.85, Math.max(0.15, 0.5 - 3 * Math.log(price / inst.level)));
      const step = this.rng.between(0, 0.03) * (this.rng.next() < pUp ? 1 : -1);
      const next = round2(price * (1 + step));
      this.current.set(inst.id, next);
      const ts = new Date(this.startMs + this.k * this.stepMs).toISOString();
      out.push({ instrument: inst.id, price: next, unit: inst.unit, ts, source: SOURCE });
    }
    return out;
  }
}

const WINDOWS = ["1h", "4h", "1d", { obs: 20 }] as const;
/** a burst of 20,000 prices spans about two weeks of event time: rules fire, cool down and fire again */
const COOLDOWNS = ["1w", "2w"] as const;

/** Levels 8-30% away from the instrument's level; changes of 15-35% over an hour to a day or 20 observations. */
function condition(rng: Prng, level: number): Condition {
  const r = rng.next();
  if (r < 0.35) return { type: "above", value: round2(level * (1 + rng.between(0.08, 0.3))) };
  if (r < 0.7) return { type: "below", value: round2(level * (1 - rng.between(0.08, 0.3))) };
  const window = rng.pick(WINDOWS);
  return {
    type: "change",
    direction: rng.pick(["up", "down", "any"] as const),
    pct: round2(rng.between(15, 35)),
    window: typeof window === "string" ? window : { ...window },
  };
}

/** `count` rules over the instruments (35% above, 35% below, 30% change), spread round-robin over `users` users. */
export function makeRules(count: number, users: number, seed: number, nowIso: string): Rule[] {
  const rng = new Prng(seed ^ 0x5eed);
  const rules: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const inst = BENCH_INSTRUMENTS[i % BENCH_INSTRUMENTS.length] as BenchInstrument;
    rules.push({
      id: `r_bench${pad(i)}`,
      userId: userIdOf(i % users),
      revision: 1,
      instrument: inst.id,
      condition: condition(rng, inst.level),
      unit: inst.unit,
      rearm: { pct: round2(rng.between(1, 3)) },
      cooldown: rng.pick(COOLDOWNS),
      once: false,
      expiresAt: null,
      channels: ["email"],
      enabled: true,
      createdAt: nowIso,
      updatedAt: nowIso,
    });
  }
  return rules;
}

export function makeUser(i: number, nowIso: string): User {
  return {
    id: userIdOf(i),
    name: `Bench user ${i}`,
    email: `bench-${i}@example.com`,
    timezone: "Asia/Shanghai",
    apiKeyHash: createHash("sha256").update(`bench-key-${i}`).digest("hex"),
    createdAt: nowIso,
  };
}

export function makeEmailChannel(i: number, nowIso: string): Channel {
  return {
    id: channelIdOf(i),
    userId: userIdOf(i),
    type: "email",
    address: `bench-${i}@example.com`,
    status: "active",
    createdAt: nowIso,
    verifiedAt: nowIso,
  };
}
