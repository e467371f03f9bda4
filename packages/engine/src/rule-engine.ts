/**
 * The rule engine: pure, in event time, indexed. Feed it rules, prices in
 * stream order and clock values; it returns the decisions for each.
 */
import type { Rule } from "@rea/contracts";
import { evaluateClock } from "./clock-evaluation.js";
import { EngineCore } from "./engine-core.js";
import type { EngineInputError } from "./errors.js";
import { readSnapshot, writeSnapshot } from "./engine-snapshot.js";
import { ARRIVAL } from "./price-history.js";
import { removeRule, ruleState, upsertRule, upsertRules } from "./rule-lifecycle.js";
import { followHistory } from "./price-sources.js";
import { recordQuiet } from "./quiet-price.js";
import { evaluatePrice } from "./tick-evaluation.js";
import type { Decision, EngineOptions, EngineSnapshot, PriceTick, RuleStateView } from "./types.js";

/**
 * Evaluates every rule against prices and the clock, with per-price work that
 * grows with the rules that fire, not with the rules held.
 *
 * @example
 * const engine = new RuleEngine({ unitOf: (id) => (id === "PRND_OXIDE" ? "CNY/t" : undefined) });
 * engine.upsertRule(rule); // {type:"above", value:450000}
 * engine.onPrice({ instrument: "PRND_OXIDE", price: 452000, unit: "CNY/t", ts, tsMs: Date.parse(ts), source: "smm", seq: 7 });
 * // [{ kind: "alert", alert: { id: "r_...:1:7", title: "PRND_OXIDE above 450,000 CNY/t", ... } }]
 */
export class RuleEngine {
  private readonly core: EngineCore;

  constructor(opts: EngineOptions, core?: EngineCore) {
    this.core = core ?? new EngineCore(opts);
  }

  /**
   * Adds or replaces a rule. A higher revision replaces the rule and carries
   * its memory (no double fire); a same or lower revision is ignored. A
   * disabled rule is kept but never fires. Throws EngineInputError for an
   * instrument outside the catalogue or a unit of another family.
   */
  upsertRule(rule: Rule): void {
    upsertRule(this.core, rule);
  }

  /**
   * Adds or replaces many rules, with the same outcome as upserting them one
   * by one in order, the new ones laid out so that the rules a price fires
   * together are read together (what a snapshot restore does too): for
   * loading a rule set at start. Rules the engine refuses come back with
   * their errors; the others apply.
   */
  upsertRules(rules: readonly Rule[]): Array<{ rule: Rule; error: EngineInputError }> {
    return upsertRules(this.core, rules);
  }

  removeRule(ruleId: string): void {
    removeRule(this.core, ruleId);
  }

  /**
   * Evaluates one price, in stream order. A price older than the instrument's
   * latest is kept for history but fires nothing; an exact duplicate (same
   * time, price and source as one kept) is ignored. Decisions come sorted by
   * rule id, a rule's alert before its `rule_finished`.
   * Throws EngineInputError for an unknown instrument, a unit that is not the
   * instrument's, or a price that is not a finite number > 0.
   */
  onPrice(tick: PriceTick): Decision[] {
    const core = this.core;
    // most prices: inside the quiet box, recorded from the instrument's slot alone
    if (recordQuiet(core.slots, tick)) return [];
    const book = core.bookForPrice(tick);
    book.settleHistory();
    const last = book.lastPrice;
    const arrival = book.history.add(tick.tsMs, tick.price, tick.ts, tick.source);
    followHistory(book);
    if (arrival !== ARRIVAL.NEW) return [];
    const first = !book.hasPrice;
    const prev = first ? NaN : last;
    book.hasPrice = true;
    book.lastPrice = tick.price;
    book.lastTsMs = tick.tsMs;
    book.lastSeq = tick.seq;
    book.priceCount++;
    const out = core.decisions;
    out.clear();
    evaluatePrice(core, book, tick, prev, first, out);
    return out.drain();
  }

  /**
   * Wall-clock time passes: rules past `expiresAt` finish, and stale rules
   * whose instrument has had no price for their `after` fire, once per gap.
   * A clock earlier than one already seen counts as the latest seen.
   */
  onClock(nowMs: number): Decision[] {
    const core = this.core;
    const now = core.clockMs !== null && core.clockMs > nowMs ? core.clockMs : nowMs;
    core.clockMs = now;
    const out = core.decisions;
    out.clear();
    evaluateClock(core, now, out);
    return out.drain();
  }

  ruleState(ruleId: string): RuleStateView | undefined {
    return ruleState(this.core, ruleId);
  }

  ruleCount(): number {
    return this.core.table.byId.size;
  }

  /** the ids of every rule held, in no particular order */
  ruleIds(): string[] {
    return [...this.core.table.byId.keys()];
  }

  /** JSON-serialisable full state; `RuleEngine.restore` resumes exactly from it. */
  snapshot(): EngineSnapshot {
    return writeSnapshot(this.core);
  }

  static restore(snapshot: EngineSnapshot, opts: EngineOptions): RuleEngine {
    return new RuleEngine(opts, readSnapshot(snapshot, opts));
  }
}
