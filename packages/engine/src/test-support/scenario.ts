/**
 * Random scenarios for the property tests: rules of every type and unit, and
 * event streams with gaps, equal timestamps, late and duplicate prices, FX
 * moves, clock steps, edits, removals and restarts.
 */
import type { Rule } from "@rea/contracts";
import fc from "fast-check";
import { unitConversion } from "../unit-conversion.js";
import type { PriceTick } from "../types.js";
import { unitOf } from "./fixtures.js";

export const INSTRUMENTS = [
  { id: "PRND_OXIDE", base: 450000, units: ["CNY/t", "CNY/kg", "USD/kg", "USD/t", "USD/lb"] },
  { id: "DY_OXIDE", base: 1700, units: ["CNY/kg", "CNY/t", "USD/kg"] },
  { id: "HK00769", base: 4, units: ["HKD/share"] },
  { id: "USDCNY", base: 7.2, units: ["CNY/USD"] },
  { id: "USDHKD", base: 7.8, units: ["HKD/USD"] },
] as const;
const NOMINAL_FX: Record<string, number> = { USD: 7.2 };

export interface RuleChoice {
  inst: number;
  unit: number;
  kind: "above" | "below" | "cross_up" | "cross_down" | "change" | "stale";
  k: number;
  direction: "up" | "down" | "any";
  byPct: boolean;
  size: 1 | 2 | 5 | 10;
  window: string | { obs: number };
  after: string;
  rearm: 0 | 1 | 2;
  rearmSize: 1 | 2;
  cooldown: string | null;
  once: boolean;
  expiresInMin: number | null;
  enabled: boolean;
  createdOffsetMin: number;
}

const ruleChoice: fc.Arbitrary<RuleChoice> = fc.record({
  inst: fc.constantFrom(0, 0, 0, 1, 1, 2, 3),
  unit: fc.nat(9),
  kind: fc.constantFrom("above", "below", "cross_up", "cross_down", "change", "change", "stale"),
  k: fc.integer({ min: 92, max: 108 }),
  direction: fc.constantFrom("up", "down", "any"),
  byPct: fc.boolean(),
  size: fc.constantFrom(1, 2, 5, 10),
  window: fc.constantFrom<string | { obs: number }>("5m", "15m", "1h", { obs: 1 }, { obs: 3 }),
  after: fc.constantFrom("10m", "30m", "2h"),
  rearm: fc.constantFrom(0, 0, 1, 2),
  rearmSize: fc.constantFrom(1, 2),
  cooldown: fc.constantFrom(null, null, "10m", "1h"),
  once: fc.constantFrom(false, false, false, true),
  expiresInMin: fc.option(fc.integer({ min: 0, max: 600 }), { freq: 3 }),
  enabled: fc.constantFrom(true, true, true, true, false),
  createdOffsetMin: fc.integer({ min: -180, max: 0 }),
});

export type Event =
  | {
      type: "price";
      inst: number;
      k: number;
      dtMin: number;
      late: number;
      dup: number;
      source: boolean;
      /** how ts is written: 0 ISO without milliseconds, 1 ISO with, 2 with a +08:00 offset */
      tsForm: number;
    }
  | { type: "clock"; dtMin: number }
  | { type: "add"; rule: RuleChoice }
  | { type: "edit"; pick: number; rule: RuleChoice; revDelta: number; moveInstrument: boolean }
  | { type: "remove"; pick: number }
  | { type: "restart"; crossRestore: boolean };

export function events(maxLength: number): fc.Arbitrary<Event[]> {
  const event: fc.Arbitrary<Event> = fc.oneof(
    {
      weight: 12,
      arbitrary: fc.record({
        type: fc.constant("price" as const),
        inst: fc.constantFrom(0, 0, 0, 1, 1, 2, 3, 3, 4),
        k: fc.integer({ min: 90, max: 110 }),
        dtMin: fc.constantFrom(0, 1, 2, 5, 10, 20, 40, 90),
        late: fc.nat(9),
        dup: fc.nat(14),
        source: fc.boolean(),
        tsForm: fc.constantFrom(0, 0, 1, 2),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ type: fc.constant("clock" as const), dtMin: fc.constantFrom(0, 5, 15, 45, 150) }),
    },
    { weight: 4, arbitrary: fc.record({ type: fc.constant("add" as const), rule: ruleChoice }) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant("edit" as const),
        pick: fc.nat(),
        rule: ruleChoice,
        revDelta: fc.constantFrom(-1, 0, 1, 1, 2),
        moveInstrument: fc.constantFrom(false, false, false, false, true),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant("remove" as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant("restart" as const), crossRestore: fc.boolean() }) },
  );
  return fc.array(event, { minLength: Math.min(20, maxLength), maxLength, size: "max" });
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(".000Z", "Z");

/** a price's ts in one of the forms feeds send (see Event) */
function priceTs(ms: number, form: number): string {
  if (form === 1) return new Date(ms).toISOString();
  if (form === 2) return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
  return iso(ms);
}

/** Turns choices into a stored rule on the instrument's price grid. */
export function buildRule(id: string, revision: number, c: RuleChoice, nowMs: number, instrumentIndex = c.inst): Rule {
  const inst = INSTRUMENTS[instrumentIndex] as (typeof INSTRUMENTS)[number];
  const quote = unitOf(inst.id) as string;
  const unit = inst.units[c.unit % inst.units.length] as string;
  const conv = unitConversion(unit, quote);
  const fx = conv.fx === undefined ? 1 : (NOMINAL_FX[unit.slice(0, 3)] ?? 1);
  const inRuleUnit = (quoteValue: number): number => quoteValue / conv.massFactor / fx;
  const value = inRuleUnit((inst.base * c.k) / 100);
  let condition: Rule["condition"];
  let threshold = value;
  if (c.kind === "change") {
    threshold = c.byPct ? c.size : inRuleUnit((inst.base * c.size) / 100);
    condition = c.byPct
      ? { type: "change", direction: c.direction, pct: threshold, window: c.window }
      : { type: "change", direction: c.direction, abs: threshold, window: c.window };
  } else if (c.kind === "stale") {
    condition = { type: "stale", after: c.after };
  } else {
    condition = { type: c.kind, value };
  }
  const created = nowMs + c.createdOffsetMin * 60_000;
  const r: Rule = {
    id,
    userId: "u_property1",
    revision,
    instrument: inst.id,
    condition,
    unit,
    once: c.once,
    expiresAt: c.expiresInMin === null ? null : iso(nowMs + c.expiresInMin * 60_000),
    channels: ["telegram"],
    enabled: c.enabled,
    createdAt: iso(created),
    updatedAt: iso(nowMs),
  };
  if (c.rearm === 1) r.rearm = { pct: c.rearmSize };
  if (c.rearm === 2) r.rearm = { abs: (threshold * c.rearmSize) / 100 };
  if (c.cooldown !== null) r.cooldown = c.cooldown;
  return r;
}

/** Interprets price and clock events against a moving cursor; keeps what duplicates re-send. */
export class Timeline {
  cursorMs = Date.parse("2025-03-01T00:00:00Z");
  private seq = 0;
  private readonly sent: PriceTick[] = [];

  price(e: Extract<Event, { type: "price" }>): PriceTick {
    this.seq++;
    const again = this.sent[this.sent.length - 1 - (e.dup % 4)];
    if (e.dup === 0 && again !== undefined) return { ...again, seq: this.seq };
    this.cursorMs += e.dtMin * 60_000;
    const inst = INSTRUMENTS[e.inst] as (typeof INSTRUMENTS)[number];
    const tsMs = e.late === 0 ? this.cursorMs - (e.dtMin + 7) * 60_000 : this.cursorMs;
    const t: PriceTick = {
      instrument: inst.id,
      price: (inst.base * e.k) / 100,
      unit: unitOf(inst.id) as string,
      ts: priceTs(tsMs, e.tsForm),
      tsMs,
      source: e.source ? "smm" : "baotou",
      seq: this.seq,
    };
    this.sent.push(t);
    return t;
  }

  clock(e: Extract<Event, { type: "clock" }>): number {
    return this.cursorMs + e.dtMin * 60_000;
  }
}
