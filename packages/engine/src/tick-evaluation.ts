/**
 * One in-order price on one instrument: expire, convert once per currency,
 * look up each window's reference once, then per ladder fire the armed rules
 * the value reached and re-arm the disarmed ones it fell back under. A ladder
 * nothing happens on costs two comparisons.
 */
import { DIRECTION, FAMILY, changePct, directed } from "./compiled-rule.js";
import { isCooling } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { priceAlert } from "./explain.js";
import type { ChangeSeen, FxUsed } from "./explain.js";
import type { ConversionGroup, InstrumentBook, Ladder, WindowRef } from "./instrument-book.js";
import type { PriceHistory } from "./price-history.js";
import { expireDue, finish } from "./rule-placement.js";
import { PHASE } from "./rule-table.js";
import type { Decision, PriceTick } from "./types.js";
import { toRuleCurrency } from "./unit-conversion.js";

function prepareGroup(core: EngineCore, g: ConversionGroup, price: number, prev: number): void {
  g.fxUsed = undefined;
  const fx = g.fx;
  if (fx === undefined) {
    g.ok = true;
    g.price = price;
    g.prev = prev;
    return;
  }
  const fxBook = core.books.get(fx.instrument);
  if (fxBook === undefined || !fxBook.hasPrice) {
    g.ok = false;
    return;
  }
  const rate = fxBook.lastPrice;
  g.ok = true;
  g.rate = rate;
  g.fxTs = fxBook.lastTs;
  g.price = toRuleCurrency(price, rate, fx.invert);
  g.prev = prev === prev ? toRuleCurrency(prev, rate, fx.invert) : NaN;
}

function prepareWindow(h: PriceHistory, w: WindowRef, price: number, tsMs: number): void {
  w.seen = undefined;
  let i: number;
  if (w.obs > 0) {
    i = h.back(w.obs);
  } else {
    const target = tsMs - w.ms;
    if (w.ptrVersion !== h.version) {
      i = h.atOrBefore(target);
      w.ptrVersion = h.version;
    } else {
      const a = h.tsMs;
      const end = h.end;
      i = w.ptr < h.head ? h.head - 1 : w.ptr;
      while (i + 1 < end && (a[i + 1] as number) <= target) i++;
      if (i < h.head) i = -1;
    }
    w.ptr = i;
  }
  if (i < 0) {
    w.ok = false;
    return;
  }
  const ref = h.price[i] as number;
  w.ok = true;
  w.refPrice = ref;
  w.refTs = h.ts[i] as string;
  w.pct = changePct(price, ref);
  w.abs = price - ref;
}

function fire(core: EngineCore, book: InstrumentBook, ladder: Ladder, h: number, tick: PriceTick, out: Decision[]): void {
  const t = core.table;
  const rule = t.rules[h];
  if (rule === undefined) return;
  t.phase[h] = PHASE.TAKEN;
  const g = ladder.group;
  let fx: FxUsed | undefined;
  if (g.fx !== undefined) fx = g.fxUsed ??= { instrument: g.fx.instrument, rate: g.rate, ts: g.fxTs, invert: g.fx.invert };
  let change: ChangeSeen | undefined;
  const w = ladder.window;
  if (w !== undefined) change = w.seen ??= { refPrice: w.refPrice, refTs: w.refTs, pct: w.pct, abs: w.abs };
  const prevPrice = core.prevPrice === core.prevPrice ? core.prevPrice : undefined;
  out.push({
    kind: "alert",
    alert: priceAlert({ rule, massFactor: t.massFactor[h] as number, tick, quoteUnit: book.quoteUnit, prevPrice, fx, change }),
  });
  t.firedCount[h] = (t.firedCount[h] as number) + 1;
  t.lastFiredMs[h] = tick.tsMs;
  t.lastFiredAt[h] = tick.ts;
  t.armed[h] = 0;
  if (rule.once) {
    finish(core, h, "once", out);
  } else {
    t.phase[h] = PHASE.DISARMED;
    ladder.disarmed.insert(t.rearm[h] as number, h);
  }
}

function applyLadder(core: EngineCore, book: InstrumentBook, ladder: Ladder, tick: PriceTick, out: Decision[]): void {
  if (ladder.rules === 0) return;
  const g = ladder.group;
  if (!g.ok) return;
  let x: number;
  let xPrev = NaN;
  if (ladder.family === FAMILY.CHANGE) {
    const w = ladder.window as WindowRef;
    if (!w.ok) return;
    const v = ladder.pct ? w.pct : g.fx === undefined ? w.abs : toRuleCurrency(w.abs, g.rate, g.fx.invert);
    x = directed(ladder.direction, v);
  } else if (ladder.direction === DIRECTION.UP) {
    x = g.price;
    xPrev = g.prev;
  } else {
    x = -g.price;
    xPrev = -g.prev;
  }
  ladder.x = x;
  ladder.xStamp = core.stamp;
  const t = core.table;
  const buf = core.buf;
  const armed = ladder.armed;
  if (armed.size > 0) {
    if (ladder.family === FAMILY.CROSS) {
      if (xPrev < x && armed.hasInRange(xPrev, x)) {
        buf.length = 0;
        armed.takeRange(xPrev, x, buf);
        for (let i = 0; i < buf.length; i++) {
          const h = buf[i] as number;
          if (isCooling(t.lastFiredMs[h] as number, t.cooldownMs[h] as number, tick.tsMs)) armed.insert(t.trigger[h] as number, h);
          else fire(core, book, ladder, h, tick, out);
        }
      }
    } else if (armed.minKey() <= x) {
      buf.length = 0;
      armed.takeUpTo(x, buf);
      for (let i = 0; i < buf.length; i++) {
        const h = buf[i] as number;
        const last = t.lastFiredMs[h] as number;
        const cd = t.cooldownMs[h] as number;
        if (isCooling(last, cd, tick.tsMs)) {
          t.phase[h] = PHASE.COOLING;
          book.cooldown.push(last + cd, h, t.epoch[h] as number);
        } else {
          fire(core, book, ladder, h, tick, out);
        }
      }
    }
  }
  const disarmed = ladder.disarmed;
  if (disarmed.size > 0 && disarmed.maxKey() > x) {
    buf.length = 0;
    disarmed.takeAbove(x, buf);
    for (let i = 0; i < buf.length; i++) {
      const h = buf[i] as number;
      t.phase[h] = PHASE.ARMED;
      t.armed[h] = 1;
      armed.insert(t.trigger[h] as number, h);
    }
  }
}

/** Level and change rules whose cooldown ended by this price: fire now if still met, else wait armed. */
function endCooldowns(core: EngineCore, book: InstrumentBook, tick: PriceTick, out: Decision[]): void {
  const heap = book.cooldown;
  const t = core.table;
  while (heap.size > 0 && heap.peekTime() <= tick.tsMs) {
    const h = heap.peekHandle();
    const e = heap.peekEpoch();
    heap.pop();
    if (t.epoch[h] !== e || t.phase[h] !== PHASE.COOLING) continue;
    const ladder = core.ladders[t.ladder[h] as number] as Ladder;
    if (ladder.xStamp === core.stamp && ladder.x >= (t.trigger[h] as number)) {
      fire(core, book, ladder, h, tick, out);
    } else {
      t.phase[h] = PHASE.ARMED;
      ladder.armed.insert(t.trigger[h] as number, h);
    }
  }
}

/** A new price opens a new gap: stale rules fired (or due) in the last one are armed again. */
function reopenStaleGap(core: EngineCore, book: InstrumentBook, firstPrice: boolean): void {
  const s = book.stale;
  if (s === undefined || s.rules === 0) return;
  const t = core.table;
  if (firstPrice && s.armed.size > 0) {
    const all: number[] = [];
    s.armed.drain(all);
    for (const h of all) s.armed.insert(t.trigger[h] as number, h);
  }
  for (const h of s.fired) {
    t.phase[h] = PHASE.STALE_ARMED;
    s.armed.insert(t.trigger[h] as number, h);
  }
  s.fired.length = 0;
  s.cooling.drain((h, e) => {
    if (t.epoch[h] !== e || t.phase[h] !== PHASE.STALE_COOLING) return;
    t.phase[h] = PHASE.STALE_ARMED;
    s.armed.insert(t.trigger[h] as number, h);
  });
}

/** Evaluates a price already recorded as the book's newest. */
export function evaluatePrice(core: EngineCore, book: InstrumentBook, tick: PriceTick, prevPrice: number, firstPrice: boolean, out: Decision[]): void {
  core.stamp++;
  core.prevPrice = prevPrice;
  const ts = tick.tsMs;
  if (book.expiry.size > 0 && book.expiry.peekTime() <= ts) expireDue(core, book, ts, out);
  const groups = book.groupList;
  for (let i = 0; i < groups.length; i++) prepareGroup(core, groups[i] as ConversionGroup, tick.price, prevPrice);
  const windows = book.windowList;
  for (let i = 0; i < windows.length; i++) prepareWindow(book.history, windows[i] as WindowRef, tick.price, ts);
  const ladders = book.ladderList;
  for (let i = 0; i < ladders.length; i++) applyLadder(core, book, ladders[i] as Ladder, tick, out);
  if (book.cooldown.size > 0 && book.cooldown.peekTime() <= ts) endCooldowns(core, book, tick, out);
  if (book.stale !== undefined) reopenStaleGap(core, book, firstPrice);
  book.history.prune(book.needMs, book.needObs);
}
