/**
 * Adding, editing and removing rules. An edit (higher revision) keeps the
 * rule's memory: firings, cooldown, the stale gap it fired in, and whether it
 * is disarmed. A disarmed rule stays disarmed unless the current value already
 * satisfies the new revision's re-arm condition, so an edit never fires twice
 * on the same move. A rule finished by `once` stays finished while the new
 * revision keeps `once`; one finished by expiry stays finished unless the new
 * revision expires later (or never).
 */
import type { Rule } from "@rea/contracts";
import { FAMILY, changePct, compileRule, directed, needsFx } from "./compiled-rule.js";
import type { ChangeWindow, CompiledRule } from "./compiled-rule.js";
import { orderKey } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { EngineInputError } from "./errors.js";
import type { InstrumentBook } from "./instrument-book.js";
import { attach, detach, dropDeadEntry, isActive, ladderKey } from "./rule-placement.js";
import { FINISH, PHASE, REC, REC_BYTES, RULE_FIELDS, RULE_FLAGS } from "./rule-table.js";
import type { RuleMemory, RuleStateView, WaitingFor } from "./types.js";
import { toRuleCurrency } from "./unit-conversion.js";

const {
  COOLDOWN_MS: R_COOLDOWN_MS,
  FIRED_COUNT: R_FIRED_COUNT,
  LAST_FIRED_MS: R_LAST_FIRED_MS,
  MASS_FACTOR: R_MASS_FACTOR,
  ORDER: R_ORDER,
  REARM: R_REARM,
  TRIGGER: R_TRIGGER,
} = RULE_FIELDS;
const { ARMED: F_ARMED, ONCE: F_ONCE, PHASE: F_PHASE } = RULE_FLAGS;

export const FRESH_MEMORY: RuleMemory = {
  armed: true,
  finished: null,
  finishedExpiresMs: null,
  firedCount: 0,
  lastFiredMs: null,
  lastFiredAt: null,
  staleGap: null,
};

function referenceIndex(book: InstrumentBook, w: ChangeWindow): number {
  book.settleHistory();
  return w.obs > 0 ? book.history.back(w.obs) : book.history.atOrBefore(book.lastTsMs - w.ms);
}

/** The value a rule compares, at the instrument's last price; NaN when it cannot be evaluated. */
export function valueNow(core: EngineCore, book: InstrumentBook, c: CompiledRule): number {
  if (c.family === FAMILY.STALE || !book.hasPrice) return NaN;
  const fx = needsFx(c) ? c.conversion.fx : undefined;
  let rate = NaN;
  if (fx !== undefined) {
    const fxBook = core.books.get(fx.instrument);
    if (fxBook === undefined || !fxBook.hasPrice) return NaN;
    rate = fxBook.lastPrice;
  }
  const p = book.lastPrice;
  if (c.family !== FAMILY.CHANGE)
    return directed(c.direction, fx === undefined ? p : toRuleCurrency(p, rate, fx.invert));
  const i = referenceIndex(book, c.window as ChangeWindow);
  if (i < 0) return NaN;
  const ref = book.history.priceAt(i);
  const v = c.pct ? changePct(p, ref) : fx === undefined ? p - ref : toRuleCurrency(p - ref, rate, fx.invert);
  return directed(c.direction, v);
}

/** The memory a new revision starts from (see the module comment). */
export function carryMemory(
  core: EngineCore,
  m: RuleMemory,
  old: Rule | undefined,
  rule: Rule,
  c: CompiledRule,
  book: InstrumentBook,
): RuleMemory {
  let finished: RuleMemory["finished"] = null;
  if (m.finished === "once" && rule.once) finished = "once";
  else if (m.finished === "expired" && m.finishedExpiresMs !== null && c.expiresMs <= m.finishedExpiresMs)
    finished = "expired";
  const armed = c.family === FAMILY.STALE || m.armed || valueNow(core, book, c) < c.rearm;
  return {
    armed,
    finished,
    finishedExpiresMs: finished === "expired" ? m.finishedExpiresMs : null,
    firedCount: m.firedCount,
    lastFiredMs: m.lastFiredMs,
    lastFiredAt: m.lastFiredAt,
    staleGap: old !== undefined && old.instrument === rule.instrument ? m.staleGap : null,
  };
}

export function readMemory(core: EngineCore, h: number): RuleMemory {
  const t = core.table;
  const f = t.finish[h];
  const last = t.rec[REC * h + R_LAST_FIRED_MS] as number;
  const gap = t.staleGap[h] as number;
  const fexp = t.finishedExpiresMs[h] as number;
  return {
    armed: t.flags[REC_BYTES * h + F_ARMED] === 1,
    finished: f === FINISH.ONCE ? "once" : f === FINISH.EXPIRED ? "expired" : null,
    finishedExpiresMs: fexp === fexp ? fexp : null,
    firedCount: t.rec[REC * h + R_FIRED_COUNT] as number,
    lastFiredMs: last === last ? last : null,
    lastFiredAt: t.lastFiredAt(h),
    staleGap: gap >= 0 ? gap : null,
  };
}

/** Writes a rule and its memory into handle h and places it. */
export function place(
  core: EngineCore,
  h: number,
  rule: Rule,
  c: CompiledRule,
  book: InstrumentBook,
  m: RuleMemory,
): void {
  const t = core.table;
  const stale = c.family === FAMILY.STALE;
  const r = REC * h;
  const f = REC_BYTES * h;
  t.setRule(h, rule);
  t.rec[r + R_ORDER] = orderKey(rule.id);
  t.family[h] = c.family;
  t.flags[f + F_ONCE] = rule.once ? 1 : 0;
  t.rec[r + R_TRIGGER] = stale ? c.afterMs : c.trigger;
  t.rec[r + R_REARM] = stale ? c.createdMs : c.rearm;
  t.rec[r + R_MASS_FACTOR] = c.conversion.massFactor;
  t.rec[r + R_COOLDOWN_MS] = c.cooldownMs;
  t.expiresMs[h] = c.expiresMs;
  t.flags[f + F_ARMED] = m.armed ? 1 : 0;
  t.finish[h] = m.finished === "once" ? FINISH.ONCE : m.finished === "expired" ? FINISH.EXPIRED : FINISH.NONE;
  t.finishedExpiresMs[h] = m.finishedExpiresMs ?? NaN;
  t.rec[r + R_FIRED_COUNT] = m.firedCount;
  t.rec[r + R_LAST_FIRED_MS] = m.lastFiredMs ?? NaN;
  t.setLastFiredAt(h, m.lastFiredAt);
  t.staleGap[h] = m.staleGap ?? -1;
  t.book[h] = book.slot;
  t.ladder[h] = -1;
  if (!rule.enabled) t.flags[f + F_PHASE] = PHASE.DISABLED;
  else if (m.finished !== null) t.flags[f + F_PHASE] = PHASE.FINISHED;
  else attach(core, h, c, book);
}

export function upsertRule(core: EngineCore, rule: Rule): void {
  const t = core.table;
  const existing = t.byId.get(rule.id);
  const old = existing === undefined ? undefined : t.rules[existing];
  if (old !== undefined && old.revision >= rule.revision) return;
  const book = core.book(rule.instrument);
  const c = compileRule(rule, book.quoteUnit);
  let h: number;
  let memory = FRESH_MEMORY;
  if (existing !== undefined) {
    h = existing;
    memory = readMemory(core, h);
    if (isActive(t.flags[REC_BYTES * h + F_PHASE] as number)) {
      detach(core, h);
      core.cleanup(core.bookList[t.book[h] as number] as InstrumentBook);
    } else {
      dropDeadEntry(core, h);
    }
  } else {
    h = t.alloc();
    t.byId.set(rule.id, h);
  }
  place(core, h, rule, c, book, carryMemory(core, memory, old, rule, c, book));
}

/** appends `value` to the list under `key`, starting the list on first use */
export function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/** a rule not yet in the table, compiled, with the memory it starts with */
export interface NewRule {
  rule: Rule;
  c: CompiledRule;
  book: InstrumentBook;
  memory: RuleMemory;
}

/**
 * Gives new rules their handles ladder by ladder, each ladder's rules in
 * trigger order, so that the rules one price fires or re-arms (neighbours in
 * a ladder's index) sit next to each other in the rule table: a price that
 * fires thousands of rules then reads their state in order instead of one
 * cache miss each. Used wherever many rules arrive at once (a batch, a
 * snapshot); a single upsert takes the next free handle.
 */
export function placeNewRules(core: EngineCore, rules: NewRule[]): void {
  const t = core.table;
  const ladders = new Map<string, NewRule[]>();
  for (const n of rules) appendTo(ladders, `${n.book.slot}|${ladderKey(n.c)}`, n);
  const trigger = (n: NewRule): number => (n.c.family === FAMILY.STALE ? n.c.afterMs : n.c.trigger);
  for (const list of ladders.values()) {
    list.sort((a, b) => trigger(a) - trigger(b));
    for (const n of list) {
      const h = t.alloc();
      t.byId.set(n.rule.id, h);
      place(core, h, n.rule, n.c, n.book, n.memory);
    }
  }
}

/**
 * Adds or replaces many rules with the outcome of upserting them one by one
 * in order, the new ones placed together, instrument by instrument (see
 * placeNewRules; only one instrument's new rules are compiled at a time). A
 * rule the engine refuses is returned with its error; the others still
 * apply.
 */
export function upsertRules(core: EngineCore, rules: readonly Rule[]): Array<{ rule: Rule; error: EngineInputError }> {
  const refused: Array<{ rule: Rule; error: EngineInputError }> = [];
  const refuse = (rule: Rule, e: unknown): void => {
    if (!(e instanceof EngineInputError)) throw e;
    refused.push({ rule, error: e });
  };
  const fresh = new Map<string, Rule[]>();
  const seen = new Set<string>();
  const after: Rule[] = [];
  for (const rule of rules) {
    if (core.table.byId.has(rule.id) || seen.has(rule.id)) {
      after.push(rule);
      continue;
    }
    seen.add(rule.id);
    appendTo(fresh, rule.instrument, rule);
  }
  for (const [instrument, list] of fresh) {
    let book: InstrumentBook;
    try {
      book = core.book(instrument);
    } catch (e) {
      for (const rule of list) refuse(rule, e);
      continue;
    }
    const placed: NewRule[] = [];
    for (const rule of list) {
      try {
        const c = compileRule(rule, book.quoteUnit);
        placed.push({ rule, c, book, memory: carryMemory(core, FRESH_MEMORY, undefined, rule, c, book) });
      } catch (e) {
        refuse(rule, e);
      }
    }
    placeNewRules(core, placed);
  }
  for (const rule of after) {
    try {
      upsertRule(core, rule);
    } catch (e) {
      refuse(rule, e);
    }
  }
  return refused;
}

export function removeRule(core: EngineCore, ruleId: string): void {
  const t = core.table;
  const h = t.byId.get(ruleId);
  if (h === undefined) return;
  if (isActive(t.flags[REC_BYTES * h + F_PHASE] as number)) {
    detach(core, h);
    core.cleanup(core.bookList[t.book[h] as number] as InstrumentBook);
  } else {
    dropDeadEntry(core, h);
  }
  t.byId.delete(ruleId);
  t.release(h);
}

function waitingFor(core: EngineCore, book: InstrumentBook, rule: Rule): WaitingFor | undefined {
  const c = compileRule(rule, book.quoteUnit);
  if (c.family === FAMILY.STALE) return undefined;
  if (!book.hasPrice) return "price";
  if (needsFx(c)) {
    const fxBook = core.books.get((c.conversion.fx as { instrument: string }).instrument);
    if (fxBook === undefined || !fxBook.hasPrice) return "fx";
  }
  if (c.window !== undefined && referenceIndex(book, c.window) < 0) return "history";
  return undefined;
}

export function ruleState(core: EngineCore, ruleId: string): RuleStateView | undefined {
  const t = core.table;
  const h = t.byId.get(ruleId);
  if (h === undefined) return undefined;
  const rule = t.rules[h] as Rule;
  const view: RuleStateView = {
    ruleId,
    revision: rule.revision,
    status: "armed",
    firedCount: t.rec[REC * h + R_FIRED_COUNT] as number,
  };
  const lastFiredAt = t.lastFiredAt(h);
  if (lastFiredAt !== null) view.lastFiredAt = lastFiredAt;
  const phase = t.flags[REC_BYTES * h + F_PHASE];
  if (phase === PHASE.DISABLED) {
    view.status = "disabled";
  } else if (phase === PHASE.FINISHED) {
    view.status = "finished";
    view.finishedReason = t.finish[h] === FINISH.ONCE ? "once" : "expired";
  } else {
    const book = core.bookList[t.book[h] as number] as InstrumentBook;
    const waiting = waitingFor(core, book, rule);
    if (waiting !== undefined) {
      view.status = "waiting";
      view.waitingFor = waiting;
    } else {
      const firedInGap = phase === PHASE.STALE && t.staleGap[h] === book.priceCount;
      view.status = phase === PHASE.DISARMED || firedInGap ? "disarmed" : "armed";
    }
  }
  return view;
}
