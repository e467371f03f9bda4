/** The wall clock moves: expire rules and fire stale rules whose instrument has been quiet for their `after`. */
import { isCooling } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { staleAlert } from "./explain.js";
import type { LastPrice } from "./explain.js";
import type { InstrumentBook, StaleBook } from "./instrument-book.js";
import { expireDue, finish } from "./rule-placement.js";
import { PHASE } from "./rule-table.js";
import type { Decision } from "./types.js";

function fireStale(
  core: EngineCore,
  book: InstrumentBook,
  s: StaleBook,
  h: number,
  nowMs: number,
  out: Decision[],
): void {
  const t = core.table;
  const rule = t.rules[h];
  if (rule === undefined) return;
  t.phase[h] = PHASE.TAKEN;
  const last: LastPrice | undefined = book.hasPrice
    ? { price: book.lastPrice, unit: book.lastUnit, ts: book.lastTs, source: book.lastSource }
    : undefined;
  const alert = staleAlert(rule, book.quoteUnit, last, book.hasPrice ? book.lastSeq : 0, nowMs);
  out.push({ kind: "alert", alert });
  t.firedCount[h] = (t.firedCount[h] as number) + 1;
  t.lastFiredMs[h] = nowMs;
  t.lastFiredAt[h] = alert.firedAt;
  t.staleGap[h] = book.priceCount;
  if (rule.once) {
    finish(core, h, "once", out);
  } else {
    t.phase[h] = PHASE.STALE_FIRED;
    t.listPos[h] = s.fired.length;
    s.fired.push(h);
    book.staleWork = true;
  }
}

function checkStale(core: EngineCore, book: InstrumentBook, s: StaleBook, nowMs: number, out: Decision[]): void {
  const t = core.table;
  // a closed market is never stale: no stale alert on a weekend or holiday
  const hours = core.opts.calendarOf?.(book.id);
  if (hours !== undefined && !hours.isOpen(nowMs)) return;
  if (s.armed.size > 0) {
    const quiet = hours === undefined ? nowMs - book.lastTsMs : hours.openMsBetween(book.lastTsMs, nowMs);
    const limit = book.hasPrice ? quiet : nowMs;
    if (s.armed.minKey() <= limit) {
      const due: number[] = [];
      s.armed.takeUpTo(limit, due);
      for (const h of due) {
        const last = t.lastFiredMs[h] as number;
        const cd = t.cooldownMs[h] as number;
        if (isCooling(last, cd, nowMs)) {
          t.phase[h] = PHASE.STALE_COOLING;
          s.cooling.push(last + cd, h, t.epoch[h] as number);
          book.staleWork = true;
        } else {
          fireStale(core, book, s, h, nowMs, out);
        }
      }
    }
  }
  while (s.cooling.size > 0 && s.cooling.peekTime() <= nowMs) {
    const h = s.cooling.peekHandle();
    const e = s.cooling.peekEpoch();
    s.cooling.pop();
    if (t.epoch[h] === e && t.phase[h] === PHASE.STALE_COOLING) fireStale(core, book, s, h, nowMs, out);
  }
}

/** Evaluates the clock at `nowMs` (never earlier than a clock already seen). */
export function evaluateClock(core: EngineCore, nowMs: number, out: Decision[]): void {
  for (const book of core.bookList) {
    if (book.expiryAt <= nowMs) expireDue(core, book, nowMs, out);
    const s = book.stale;
    if (s !== undefined && s.rules > 0) checkStale(core, book, s, nowMs, out);
    core.cleanup(book);
  }
}
