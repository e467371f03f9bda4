/** Rules, prices and a harness that runs the engine and the reference side by side. */
import { AlertSchema, INSTRUMENT_CATALOGUE } from "@rea/contracts";
import type { Rule } from "@rea/contracts";
import { expect } from "vitest";
import { ReferenceEvaluator } from "../reference-evaluator.js";
import { RuleEngine } from "../rule-engine.js";
import type { Decision, EngineOptions, PriceTick, RuleStateView } from "../types.js";

const UNITS = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i.unit]));
export const unitOf = (id: string): string | undefined => UNITS.get(id);
export const OPTS: EngineOptions = { unitOf };

export const CREATED = "2025-01-01T00:00:00Z";

/** A stored rule with sensible defaults (id `r_<id>`, id 8+ letters or digits); `unit` defaults to the instrument's. */
export function rule(id: string, instrument: string, condition: Rule["condition"], extra: Partial<Rule> = {}): Rule {
  return {
    id: `r_${id}`,
    userId: "u_alice123",
    revision: 1,
    instrument,
    condition,
    unit: unitOf(instrument) ?? "CNY/t",
    once: false,
    expiresAt: null,
    channels: ["email", "telegram"],
    enabled: true,
    createdAt: CREATED,
    updatedAt: CREATED,
    ...extra,
  };
}

let nextSeq = 1;

/** A price tick; `at` is a date ("2025-02-28") or a full ISO timestamp. */
export function tick(instrument: string, price: number, at: string, extra: Partial<PriceTick> = {}): PriceTick {
  const ts = at.length === 10 ? `${at}T00:00:00Z` : at;
  return {
    instrument,
    price,
    unit: unitOf(instrument) ?? "CNY/t",
    ts,
    tsMs: Date.parse(ts),
    source: "smm",
    seq: nextSeq++,
    ...extra,
  };
}

/** Decisions as plain data (alerts read), so an engine's and a reference's can be compared with toEqual. */
export function plainDecisions(ds: Decision[]): Decision[] {
  return ds.map((d) =>
    d.kind === "alert"
      ? { kind: "alert", ruleId: d.ruleId, alert: d.alert }
      : { kind: d.kind, ruleId: d.ruleId, revision: d.revision, reason: d.reason },
  );
}

export function alertsOf(ds: Decision[]): Array<Extract<Decision, { kind: "alert" }>["alert"]> {
  return ds.flatMap((d) => (d.kind === "alert" ? [d.alert] : []));
}

/**
 * Drives a RuleEngine and a ReferenceEvaluator with the same inputs and
 * checks they agree at every step; every alert must pass AlertSchema.
 */
export class Harness {
  engine = new RuleEngine(OPTS);
  readonly reference = new ReferenceEvaluator(OPTS);

  upsert(...rules: Rule[]): this {
    for (const r of rules) {
      this.engine.upsertRule(r);
      this.reference.upsertRule(r);
    }
    return this;
  }

  remove(id: string): this {
    this.engine.removeRule(id);
    this.reference.removeRule(id);
    return this;
  }

  private agree(a: Decision[], b: Decision[]): Decision[] {
    expect(plainDecisions(a)).toEqual(plainDecisions(b));
    for (const d of a) if (d.kind === "alert") AlertSchema.parse(d.alert);
    return a;
  }

  price(t: PriceTick): Decision[] {
    return this.agree(this.engine.onPrice(t), this.reference.onPrice(t));
  }

  prices(...ts: PriceTick[]): Decision[] {
    return ts.flatMap((t) => this.price(t));
  }

  clock(at: string | number): Decision[] {
    const ms = typeof at === "number" ? at : Date.parse(at);
    return this.agree(this.engine.onClock(ms), this.reference.onClock(ms));
  }

  state(id: string): RuleStateView | undefined {
    const full = id.startsWith("r_") ? id : `r_${id}`;
    const s = this.engine.ruleState(full);
    expect(s).toEqual(this.reference.ruleState(full));
    return s;
  }

  /** restarts the engine from its snapshot (through JSON, as the evaluator stores it) */
  restart(): this {
    this.engine = RuleEngine.restore(JSON.parse(JSON.stringify(this.engine.snapshot())), OPTS);
    return this;
  }
}
