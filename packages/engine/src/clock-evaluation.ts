/** The wall clock moves: expire rules and fire stale rules whose instrument has been quiet for their `after`. */
import { isCooling } from "./decisions.js";
import type { DecisionList } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { StaleAlertDecision } from "./explain.js";
import type { LastPrice } from "./explain.js";
import type { InstrumentBook, StaleBook } from "./instrument-book.js";
import { expireDue, finish } from "./rule-placement.js";
import { TS_CODE } from "./price-history.js";
import { PHASE, REC, REC_BYTES, RULE_FIELDS, RULE_FLAGS } from "./rule-table.js";

const {
  COOLDOWN_MS: R_COOLDOWN_MS,
  FIRED_COUNT: R_FIRED_COUNT,
  LAST_FIRED_MS: R_LAST_FIRED_MS,
  ORDER: R_ORDER,
} = RULE_FIELDS;
const { ONCE: F_ONCE, PHASE: F_PHASE } = RULE_FLAGS;

function fireStale(core: EngineCore, book: InstrumentBook, h: number, nowMs: number, out: DecisionList): void {
  const t = core.table;
  const rule = t.rules[h];
  if (rule === undefined) return;
  const last: LastPrice | undefined = book.hasPrice ? book.lastSeen() : undefined;
  out.push(
    new StaleAlertDecision(rule, book.quoteUnit, last, book.hasPrice ? book.lastSeq : 0, nowMs),
    t.rec[REC * h + R_ORDER] as number,
  );
  t.rec[REC * h + R_FIRED_COUNT] = (t.rec[REC * h + R_FIRED_COUNT] as number) + 1;
  t.fired(h, nowMs, core.clockIso(nowMs), TS_CODE.ISO_MS);
  t.staleGap[h] = book.priceCount;
  if (t.flags[REC_BYTES * h + F_ONCE] === 1) finish(core, h, "once", out);
}

/** A stale rule the sweep reached: fire it, or wait for the end of its cooldown, unless it fired in this gap. */
function checkRule(
  core: EngineCore,
  book: InstrumentBook,
  s: StaleBook,
  h: number,
  nowMs: number,
  out: DecisionList,
): void {
  const t = core.table;
  if (t.flags[REC_BYTES * h + F_PHASE] !== PHASE.STALE || t.staleGap[h] === book.priceCount) return;
  const last = t.rec[REC * h + R_LAST_FIRED_MS] as number;
  const cd = t.rec[REC * h + R_COOLDOWN_MS] as number;
  if (isCooling(last, cd, nowMs)) s.cooling.push(last + cd, h, t.epoch[h] as number);
  else fireStale(core, book, h, nowMs, out);
}

function checkStale(core: EngineCore, book: InstrumentBook, s: StaleBook, nowMs: number, out: DecisionList): void {
  const t = core.table;
  if (s.gap !== book.priceCount) {
    // a price arrived since the last sweep: a new gap, every rule armed again
    s.gap = book.priceCount;
    s.done = -Infinity;
    s.added.length = 0;
    s.cooling.clear();
  }
  // a closed market is never stale: no stale alert on a weekend or holiday
  const hours = core.opts.calendarOf?.(book.id);
  if (hours !== undefined && !hours.isOpen(nowMs)) return;
  if (s.added.length > 0) {
    const added = s.added.splice(0);
    for (let i = 0; i < added.length; i += 2) {
      const h = added[i] as number;
      if (t.epoch[h] === added[i + 1]) checkRule(core, book, s, h, nowMs, out);
    }
  }
  const quiet = hours === undefined ? nowMs - book.lastTsMs : hours.openMsBetween(book.lastTsMs, nowMs);
  const limit = book.hasPrice ? quiet : nowMs;
  if (limit > s.done) {
    const due = core.buf;
    due.clear();
    const index = s.swept(book.hasPrice);
    if (index.maxKey() > s.done && index.minKey() <= limit) index.collectRange(s.done, limit, due);
    s.done = limit;
    const hs = due.data;
    for (let i = 0; i < due.length; i++) checkRule(core, book, s, hs[i] as number, nowMs, out);
  }
  while (s.cooling.size > 0 && s.cooling.peekTime() <= nowMs) {
    const h = s.cooling.peekHandle();
    const e = s.cooling.peekEpoch();
    s.cooling.pop();
    if (t.epoch[h] === e && t.flags[REC_BYTES * h + F_PHASE] === PHASE.STALE && t.staleGap[h] !== book.priceCount)
      fireStale(core, book, h, nowMs, out);
  }
}

/** Evaluates the clock at `nowMs` (never earlier than a clock already seen). */
export function evaluateClock(core: EngineCore, nowMs: number, out: DecisionList): void {
  for (const book of core.bookList) {
    if (book.expiryAt <= nowMs) expireDue(core, book, nowMs, out);
    const s = book.stale;
    if (s !== undefined && s.rules > 0) checkStale(core, book, s, nowMs, out);
    core.cleanup(book);
  }
}
