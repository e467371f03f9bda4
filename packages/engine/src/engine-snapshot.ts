/** Writes the engine's state as an EngineSnapshot and rebuilds an engine from one. */
import { compileRule } from "./compiled-rule.js";
import { EngineCore } from "./engine-core.js";
import { EngineInputError } from "./errors.js";
import { appendTo, placeNewRules, readMemory } from "./rule-lifecycle.js";
import type { NewRule } from "./rule-lifecycle.js";
import type { EngineOptions, EngineSnapshot, InstrumentSnapshot, RuleSnapshot } from "./types.js";

export const SNAPSHOT_FORMAT = "rea-engine/1";

export function writeSnapshot(core: EngineCore): EngineSnapshot {
  const t = core.table;
  for (const b of core.bookList) b.settleHistory();
  const ids = [...t.byId.keys()].sort();
  const rules: RuleSnapshot[] = ids.map((id) => {
    const h = t.byId.get(id) as number;
    return { rule: t.rules[h] as RuleSnapshot["rule"], memory: readMemory(core, h) };
  });
  const instruments: InstrumentSnapshot[] = core.bookList
    .filter((b) => b.priceCount > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((b) => ({
      instrument: b.id,
      last: b.hasPrice
        ? { price: b.lastPrice, ts: b.lastTs, tsMs: b.lastTsMs, source: b.lastSource, seq: b.lastSeq }
        : null,
      priceCount: b.priceCount,
      history: b.history.toJSON(),
      floorMs: b.history.floorMs,
    }));
  return { format: SNAPSHOT_FORMAT, clockMs: core.clockMs, rules, instruments };
}

/**
 * Rebuilds the state. Instruments no longer in the catalogue, and rules that
 * no longer compile against it, are left out.
 */
export function readSnapshot(snapshot: EngineSnapshot, opts: EngineOptions): EngineCore {
  if (snapshot?.format !== SNAPSHOT_FORMAT) {
    throw new EngineInputError("INVALID_SNAPSHOT", `expected a ${String(SNAPSHOT_FORMAT)} snapshot`);
  }
  const core = new EngineCore(opts);
  core.clockMs = snapshot.clockMs ?? null;
  for (const s of snapshot.instruments) {
    if (opts.unitOf(s.instrument) === undefined) continue;
    const book = core.book(s.instrument);
    if (s.last !== null) {
      book.hasPrice = true;
      book.lastPrice = s.last.price;
      book.lastTsMs = s.last.tsMs;
      book.lastSeq = s.last.seq;
    }
    book.priceCount = s.priceCount;
    // the last price's ts and source are the history's newest observation's
    book.history.load(s.history.tsMs, s.history.price, s.history.ts, s.history.source, s.floorMs);
    book.historyLoaded();
  }
  // instrument by instrument, so that only one instrument's rules are compiled at a time
  const byInstrument = new Map<string, RuleSnapshot[]>();
  for (const r of snapshot.rules)
    if (opts.unitOf(r.rule.instrument) !== undefined) appendTo(byInstrument, r.rule.instrument, r);
  for (const [instrument, list] of byInstrument) {
    const book = core.book(instrument);
    const rules: NewRule[] = [];
    for (const { rule, memory } of list) {
      try {
        rules.push({ rule, c: compileRule(rule, book.quoteUnit), book, memory });
      } catch {
        continue;
      }
    }
    placeNewRules(core, rules);
  }
  return core;
}
