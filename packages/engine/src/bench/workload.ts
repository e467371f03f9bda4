/**
 * The benchmark workload: instruments ranked by how watched they are, a
 * Zipf-skewed million rules of every type, and a Zipf-skewed stream of
 * mean-reverting random-walk prices (0-3% steps, occasional 10% jumps).
 */
import type { Rule } from "@rea/contracts";
import type { PriceTick } from "../types.js";
import { unitConversion } from "../unit-conversion.js";
import type { Prng } from "./prng.js";
import { WeightedSampler, apportion, zipfWeights } from "./prng.js";

export interface BenchInstrument {
  id: string;
  unit: string;
  base: number;
  source: string;
  /** price step (rounding) */
  tick: number;
  fx: boolean;
}

/** The catalogue, most watched first, then synthetic instruments. */
const RANKED: Array<[string, string, number, string, number]> = [
  ["PRND_OXIDE", "CNY/t", 444000, "smm", 100],
  ["SZ300748", "CNY/share", 28.5, "szse", 0.01],
  ["TB_OXIDE", "CNY/kg", 6475, "smm", 1],
  ["DY_OXIDE", "CNY/kg", 1710, "smm", 1],
  ["SH600111", "CNY/share", 21.3, "sse", 0.01],
  ["USDCNY", "CNY/USD", 7.2, "fx", 0.0001],
  ["HK06680", "HKD/share", 9.6, "hkex", 0.01],
  ["ND_OXIDE", "CNY/t", 732500, "baotou", 100],
  ["HK00769", "HKD/share", 4.4, "hkex", 0.01],
  ["PR_OXIDE", "CNY/t", 733300, "baotou", 100],
  ["USDHKD", "HKD/USD", 7.8, "fx", 0.0001],
  ["PRND_ALLOY", "CNY/t", 545000, "smm", 100],
  ["Y_OXIDE", "CNY/t", 77000, "baotou", 100],
  ["SH600010", "CNY/share", 2.4, "sse", 0.01],
  ["SH600259", "CNY/share", 35.2, "sse", 0.01],
  ["SH600549", "CNY/share", 31.7, "sse", 0.01],
  ["SZ300224", "CNY/share", 11.9, "szse", 0.01],
  ["SZ000831", "CNY/share", 33.1, "szse", 0.01],
  ["SZ300066", "CNY/share", 7.3, "szse", 0.01],
];
const SYNTHETIC_UNITS: Array<[string, number, number, string, number]> = [
  ["CNY/t", 20000, 2000000, "smm", 100],
  ["CNY/kg", 50, 20000, "smm", 1],
  ["CNY/share", 2, 200, "sse", 0.01],
  ["HKD/share", 1, 100, "hkex", 0.01],
];

export function benchInstruments(n: number, rng: Prng): BenchInstrument[] {
  const out: BenchInstrument[] = [];
  for (let i = 0; i < n; i++) {
    const known = RANKED[i];
    if (known !== undefined) {
      const [id, unit, base, source, tick] = known;
      out.push({ id, unit, base, source, tick, fx: unit.endsWith("/USD") });
      continue;
    }
    const [unit, lo, hi, source, tick] = SYNTHETIC_UNITS[i % SYNTHETIC_UNITS.length] as [
      string,
      number,
      number,
      string,
      number,
    ];
    const base = Math.round(Math.exp(rng.between(Math.log(lo), Math.log(hi))) / tick) * tick;
    out.push({ id: `BENCH_${String(i).padStart(4, "0")}`, unit, base, source, tick, fx: false });
  }
  return out;
}

export const WINDOWS: Array<string | { obs: number }> = [
  "15m",
  "1h",
  "4h",
  "1d",
  "7d",
  "30d",
  { obs: 10 },
  { obs: 100 },
];
const COOLDOWNS = ["4h", "1d", "7d"];
const STALE_AFTER = ["1h", "6h", "1d", "3d"];
const CHANNELS: Array<Rule["channels"]> = [["telegram"], ["email"], ["email", "telegram"]];
export const START_MS = Date.parse("2025-01-01T00:00:00Z");
const CREATED = "2025-01-01T00:00:00Z";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(n: number, width: number): string {
  let out = "";
  for (let i = 0; i < width; i++) {
    out = (BASE62[n % 62] as string) + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * The k-th rule's id, shaped like the api's (r_ and 16 base62 characters,
 * random-looking, so rules on one instrument are not in id order): 11
 * characters from a hash of k, then k itself, which keeps ids unique.
 */
export function ruleId(k: number): string {
  let h = Math.imul(k ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h = (h ^ (h >>> 16)) >>> 0;
  let g = Math.imul((k + 0x632be5ab) ^ 0x7f4a7c15, 0x27d4eb2f);
  g = Math.imul(g ^ (g >>> 15), 0x165667b1);
  g = (g ^ (g >>> 13)) >>> 0;
  return `r_${base62(h, 5)}${base62(g, 5)}${base62((h >>> 26) ^ (g >>> 26), 1)}${base62(k, 5)}`;
}

/** Three significant digits, as people write thresholds (450,000; 62.5; 1,710). */
function nice(v: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(v)) - 2);
  return Math.round(v / p) * p;
}

export interface RuleMix {
  level: number;
  cross: number;
  change: number;
  stale: number;
  otherUnit: number;
  otherCurrency: number;
}

/** Rule counts per instrument (Zipf, exponent 1.2) and the rules themselves, deterministic for a seed. */
export class RuleFactory {
  readonly counts: Int32Array;
  readonly mix: RuleMix = { level: 0, cross: 0, change: 0, stale: 0, otherUnit: 0, otherCurrency: 0 };
  private readonly users: string[];
  private readonly hasUsd: boolean;
  constructor(
    private readonly instruments: BenchInstrument[],
    total: number,
    private readonly rng: Prng,
    private readonly spanMs: number,
  ) {
    this.counts = apportion(total, zipfWeights(instruments.length, 1.2));
    this.users = Array.from(
      { length: Math.max(1, Math.ceil(total / 4)) },
      (_, i) => `u_bench${i.toString(36).padStart(6, "0")}`,
    );
    this.hasUsd = instruments.some((i) => i.id === "USDCNY");
  }

  /** the k-th rule, on instrument `inst` */
  make(k: number, inst: number): Rule {
    const rng = this.rng;
    const ins = this.instruments[inst] as BenchInstrument;
    let unit = ins.unit;
    const u = rng.next();
    if (ins.unit === "CNY/t" || ins.unit === "CNY/kg") {
      if (u < 0.02 && this.hasUsd) {
        unit = "USD/kg";
        this.mix.otherCurrency++;
      } else if (u < 0.03) {
        unit = ins.unit === "CNY/t" ? "CNY/kg" : "CNY/t";
        this.mix.otherUnit++;
      }
    }
    const conv = unitConversion(unit, ins.unit);
    const toRule = (quote: number): number => nice(quote / conv.massFactor / (conv.fx === undefined ? 1 : 7.2));
    const r = rng.next();
    let condition: Rule["condition"];
    let threshold: number;
    if (r < 0.6) {
      const up = rng.chance(0.5);
      const d = rng.between(0.1, 0.6);
      threshold = toRule(ins.base * (up ? 1 + d : 1 - d));
      const cross = r >= 0.35;
      if (cross) this.mix.cross++;
      else this.mix.level++;
      condition = { type: cross ? (up ? "cross_up" : "cross_down") : up ? "above" : "below", value: threshold };
    } else if (r < 0.9) {
      this.mix.change++;
      const direction = rng.pick(["up", "up", "down", "any"] as const);
      const window = rng.pick(WINDOWS);
      if (rng.chance(0.85)) {
        threshold = Math.round(rng.between(10, 40) * 2) / 2;
        condition = { type: "change", direction, pct: threshold, window };
      } else {
        threshold = toRule(ins.base * rng.between(0.1, 0.4));
        condition = { type: "change", direction, abs: threshold, window };
      }
    } else {
      this.mix.stale++;
      threshold = 0;
      condition = { type: "stale", after: rng.pick(STALE_AFTER) };
    }
    const rule: Rule = {
      id: ruleId(k),
      userId: this.users[k % this.users.length] as string,
      revision: 1,
      instrument: ins.id,
      condition,
      unit,
      once: rng.chance(0.4),
      expiresAt: rng.chance(0.05) ? new Date(START_MS + rng.between(0, this.spanMs)).toISOString() : null,
      channels: rng.pick(CHANNELS),
      enabled: true,
      createdAt: CREATED,
      updatedAt: CREATED,
    };
    const band = rng.next();
    if (threshold > 0 && band < 0.4) rule.rearm = { pct: rng.pick([1, 2, 3, 5]) };
    else if (threshold > 0 && band < 0.7) rule.rearm = { abs: threshold / 20 };
    if (rng.chance(0.7)) rule.cooldown = rng.pick(COOLDOWNS);
    return rule;
  }
}

export interface TickStream {
  inst: Int32Array;
  price: Float64Array;
  tsMs: Float64Array;
  /** event time of the newest price at the end */
  endMs: number;
}

export const STEP_MS = 2500;
/** how strongly a price is pulled back toward its base each step */
const REVERSION = 0.3;

/**
 * Prices in stream order: instruments drawn with the rules' Zipf skew, each
 * a log-price random walk pulled back toward its base (steps of 0-3%, a 10%
 * jump one step in 500; FX moves a tenth as much), with a few late and
 * duplicate prices as feeds send them.
 */
export function generateTicks(instruments: BenchInstrument[], n: number, rng: Prng): TickStream {
  const sampler = new WeightedSampler(zipfWeights(instruments.length, 1.2));
  const dev = new Float64Array(instruments.length);
  const lastTick = new Int32Array(instruments.length).fill(-1);
  const inst = new Int32Array(n);
  const price = new Float64Array(n);
  const tsMs = new Float64Array(n);
  let now = START_MS;
  for (let k = 0; k < n; k++) {
    now += STEP_MS;
    const i = sampler.sample(rng);
    const ins = instruments[i] as BenchInstrument;
    inst[k] = i;
    const prev = lastTick[i] as number;
    const kind = rng.next();
    if (prev >= 0 && kind < 0.002) {
      price[k] = price[prev] as number;
      tsMs[k] = tsMs[prev] as number;
      continue;
    }
    const scale = ins.fx ? 0.1 : 1;
    let step = rng.between(0, 0.03) * (rng.chance(0.5) ? 1 : -1);
    if (rng.chance(0.001)) step = rng.chance(0.5) ? 0.1 : -0.1;
    const d = (dev[i] = (dev[i] as number) * (1 - REVERSION) + step * scale);
    price[k] = Math.max(ins.tick, Math.round((ins.base * Math.exp(d)) / ins.tick) * ins.tick);
    if (prev >= 0 && kind < 0.005) {
      tsMs[k] = now - rng.between(3_600_000, 3 * 86_400_000);
    } else {
      tsMs[k] = now;
      lastTick[i] = k;
    }
  }
  return { inst, price, tsMs, endMs: now };
}

/** Ticks [from, to) of a stream as the prices a caller passes to the engine (a ts in ISO form, as feeds send it). */
export function priceTicks(s: TickStream, inst: BenchInstrument[], from: number, to: number): PriceTick[] {
  const out: PriceTick[] = [];
  for (let k = from; k < to; k++) {
    const i = inst[s.inst[k] as number] as BenchInstrument;
    const tsMs = s.tsMs[k] as number;
    out.push({
      instrument: i.id,
      price: s.price[k] as number,
      unit: i.unit,
      ts: new Date(tsMs).toISOString(),
      tsMs,
      source: i.source,
      seq: k + 1,
    });
  }
  return out;
}
