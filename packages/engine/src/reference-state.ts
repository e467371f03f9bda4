/** What the reference evaluator holds: rules by id and by instrument, prices, the clock; and its snapshot. */
import type { Rule } from "@rea/contracts";
import { compileRule } from "./compiled-rule.js";
import type { CompiledRule } from "./compiled-rule.js";
import type { Observation, SimpleHistory } from "./reference-history.js";
import type { EngineSnapshot, RuleMemory } from "./types.js";

export interface Instrument extends SimpleHistory {
  last: (Observation & { seq: number; unit: string }) | undefined;
  priceCount: number;
}

export interface Entry {
  rule: Rule;
  c: CompiledRule;
  m: RuleMemory;
}

const byId = <T>(a: [string, T], b: [string, T]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export class ReferenceState {
  readonly rules = new Map<string, Entry>();
  /** the rules of each instrument: a price scans only its own */
  readonly byInstrument = new Map<string, Map<string, Entry>>();
  readonly instruments = new Map<string, Instrument>();
  clockMs: number | null = null;

  instrument(id: string): Instrument {
    let i = this.instruments.get(id);
    if (i === undefined) {
      i = { list: [], floorMs: null, last: undefined, priceCount: 0 };
      this.instruments.set(id, i);
    }
    return i;
  }

  put(entry: Entry, old: Entry | undefined): void {
    if (old !== undefined) this.byInstrument.get(old.rule.instrument)?.delete(old.rule.id);
    this.rules.set(entry.rule.id, entry);
    let own = this.byInstrument.get(entry.rule.instrument);
    if (own === undefined) {
      own = new Map();
      this.byInstrument.set(entry.rule.instrument, own);
    }
    own.set(entry.rule.id, entry);
  }

  remove(ruleId: string): void {
    const old = this.rules.get(ruleId);
    if (old === undefined) return;
    this.rules.delete(ruleId);
    this.byInstrument.get(old.rule.instrument)?.delete(ruleId);
  }

  toSnapshot(): EngineSnapshot {
    return JSON.parse(
      JSON.stringify({
        format: "rea-engine/1",
        clockMs: this.clockMs,
        rules: [...this.rules.entries()].sort(byId).map(([, e]) => ({ rule: e.rule, memory: e.m })),
        instruments: [...this.instruments.entries()]
          .filter(([, i]) => i.priceCount > 0)
          .sort(byId)
          .map(([id, i]) => ({
            instrument: id,
            last:
              i.last === undefined
                ? null
                : { price: i.last.price, ts: i.last.ts, tsMs: i.last.tsMs, source: i.last.source, seq: i.last.seq },
            priceCount: i.priceCount,
            history: {
              tsMs: i.list.map((o) => o.tsMs),
              price: i.list.map((o) => o.price),
              ts: i.list.map((o) => o.ts),
              source: i.list.map((o) => o.source),
            },
            floorMs: i.floorMs,
          })),
      }),
    ) as EngineSnapshot;
  }

  static fromSnapshot(snapshot: EngineSnapshot, quoteUnit: (instrument: string) => string): ReferenceState {
    const r = new ReferenceState();
    r.clockMs = snapshot.clockMs;
    for (const s of snapshot.instruments) {
      const h = s.history;
      const list = h.tsMs.map((tsMs, k) => ({
        tsMs,
        price: h.price[k] as number,
        ts: h.ts[k] as string,
        source: h.source[k] as string,
      }));
      const last = s.last === null ? undefined : { ...s.last, unit: quoteUnit(s.instrument) };
      r.instruments.set(s.instrument, { list, floorMs: s.floorMs, last, priceCount: s.priceCount });
    }
    for (const { rule, memory } of snapshot.rules) {
      r.put({ rule, c: compileRule(rule, quoteUnit(rule.instrument)), m: { ...memory } }, undefined);
    }
    return r;
  }
}
