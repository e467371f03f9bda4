/**
 * One in-order price on one instrument: expire, compute the values its
 * ladders compare (price-sources.ts), then compare each value with its quiet
 * interval and each cross ladder with its bounds; only a ladder whose bounds
 * say a rule fires or re-arms is opened. Work grows with the rules that move,
 * not with the rules held.
 */
import { FAMILY } from "./compiled-rule.js";
import { isCooling } from "./decisions.js";
import type { DecisionList } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { PriceAlertDecision } from "./explain.js";
import type { InstrumentBook, Ladder } from "./instrument-book.js";
import { SLOT_FIELDS } from "./instrument-slots.js";
import { BOOK_FIELDS, CROSS_FIELDS, LADDER_FIELDS, SOURCE_FIELDS, WINDOW_FIELDS } from "./ladder-layout.js";
import { changeSeen, fxUsed, prepareGroups, prepareWindow, prepareWindows } from "./price-sources.js";
import {
  baseHolds,
  foldQuietPrices,
  fxHolds,
  isQuiet,
  partsBuilt,
  refreshBoxParts,
  refreshQuietBox,
  unholdCoolingParts,
  unholdFxParts,
  windowHolds,
} from "./quiet-box.js";
import { joinQuietBox } from "./quiet-price.js";
import { expireDue, finish } from "./rule-placement.js";
import { PHASE, REC, REC_BYTES, RULE_FIELDS, RULE_FLAGS } from "./rule-table.js";
import type { PriceTick } from "./types.js";

// Module-local copies of the slot layouts: V8 folds these into the hot loops.
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

const B_PARTS = BOOK_FIELDS.PARTS;
const Q_UNTIL_MS = SLOT_FIELDS.QUIET_UNTIL_MS;
const W_STRIDE = WINDOW_FIELDS.STRIDE;
const {
  SRC: L_SRC,
  XFORM: L_XFORM,
  ARMED_MIN: L_ARMED_MIN,
  DISARMED_MAX: L_DISARMED_MAX,
  STRIDE: L_STRIDE,
} = LADDER_FIELDS;
const { SRC: S_SRC, LO: S_LO, HI: S_HI, MEMBER: S_MEMBER, MEMBERS: S_MEMBERS, STRIDE: S_STRIDE } = SOURCE_FIELDS;
const {
  SLOT: C_SLOT,
  SRC: C_SRC,
  XFORM: C_XFORM,
  ARMED_MIN: C_ARMED_MIN,
  ARMED_MAX: C_ARMED_MAX,
  DISARMED_MAX: C_DISARMED_MAX,
  STRIDE: C_STRIDE,
} = CROSS_FIELDS;

/** x of a ladder from its source value: as is, negated, or the magnitude */
function xOf(form: number, v: number): number {
  return form === 0 ? v : form === 1 ? -v : Math.abs(v);
}

function fire(
  core: EngineCore,
  book: InstrumentBook,
  ladder: Ladder,
  h: number,
  tick: PriceTick,
  out: DecisionList,
): void {
  const t = core.table;
  const rule = t.rules[h];
  if (rule === undefined) return;
  const r = REC * h;
  const f = REC_BYTES * h;
  t.flags[f + F_PHASE] = PHASE.TAKEN;
  const prevPrice = core.prevPrice === core.prevPrice ? core.prevPrice : undefined;
  out.push(
    new PriceAlertDecision(
      rule,
      t.rec[r + R_MASS_FACTOR] as number,
      tick,
      book.quoteUnit,
      prevPrice,
      fxUsed(core, book, ladder),
      changeSeen(core, book, ladder),
    ),
    t.rec[r + R_ORDER] as number,
  );
  t.rec[r + R_FIRED_COUNT] = (t.rec[r + R_FIRED_COUNT] as number) + 1;
  t.fired(h, tick.tsMs, tick.ts, book.history.addedForm);
  t.flags[f + F_ARMED] = 0;
  if (t.flags[f + F_ONCE] === 1) {
    finish(core, h, "once", out);
  } else {
    t.flags[f + F_PHASE] = PHASE.DISARMED;
    ladder.disarmed.insert(t.rec[r + R_REARM] as number, h);
  }
}

/**
 * A ladder whose bounds say something moves: fire what x reached, re-arm what
 * it fell under. An entry whose rule is not in the index's phase is one an
 * expired rule left (see detach): it is dropped, and its rule forgets it.
 */
function openLadder(
  core: EngineCore,
  book: InstrumentBook,
  ladder: Ladder,
  x: number,
  xPrev: number,
  tick: PriceTick,
  out: DecisionList,
): void {
  const t = core.table;
  const buf = core.buf;
  const armed = ladder.armed;
  if (ladder.family === FAMILY.CROSS) {
    if (xPrev < x && armed.hasInRange(xPrev, x)) {
      buf.clear();
      armed.takeRange(xPrev, x, buf);
      const hs = buf.data;
      for (let i = 0; i < buf.length; i++) {
        const h = hs[i] as number;
        if (t.flags[REC_BYTES * h + F_PHASE] !== PHASE.ARMED) {
          t.ladder[h] = -1;
          continue;
        }
        if (isCooling(t.rec[REC * h + R_LAST_FIRED_MS] as number, t.rec[REC * h + R_COOLDOWN_MS] as number, tick.tsMs))
          armed.insert(t.rec[REC * h + R_TRIGGER] as number, h);
        else fire(core, book, ladder, h, tick, out);
      }
    }
  } else if (armed.minKey() <= x) {
    buf.clear();
    armed.takeUpTo(x, buf);
    const hs = buf.data;
    for (let i = 0; i < buf.length; i++) {
      const h = hs[i] as number;
      if (t.flags[REC_BYTES * h + F_PHASE] !== PHASE.ARMED) {
        t.ladder[h] = -1;
        continue;
      }
      const last = t.rec[REC * h + R_LAST_FIRED_MS] as number;
      const cd = t.rec[REC * h + R_COOLDOWN_MS] as number;
      if (isCooling(last, cd, tick.tsMs)) {
        t.flags[REC_BYTES * h + F_PHASE] = PHASE.COOLING;
        book.pushCooldown(last + cd, h, t.epoch[h] as number);
      } else {
        fire(core, book, ladder, h, tick, out);
      }
    }
  }
  const disarmed = ladder.disarmed;
  if (disarmed.maxKey() > x) {
    buf.clear();
    disarmed.takeAbove(x, buf);
    const hs = buf.data;
    for (let i = 0; i < buf.length; i++) {
      const h = hs[i] as number;
      if (t.flags[REC_BYTES * h + F_PHASE] !== PHASE.DISARMED) {
        t.ladder[h] = -1;
        continue;
      }
      t.flags[REC_BYTES * h + F_PHASE] = PHASE.ARMED;
      t.flags[REC_BYTES * h + F_ARMED] = 1;
      armed.insert(t.rec[REC * h + R_TRIGGER] as number, h);
    }
  }
  book.syncLadder(ladder);
}

/** Source `s` (at `o` in `hot`): one comparison with its quiet interval; outside it, its ladders one by one. */
function applySource(
  core: EngineCore,
  book: InstrumentBook,
  s: number,
  o: number,
  tick: PriceTick,
  out: DecisionList,
): void {
  const hot = book.hot;
  const v = hot[hot[o + S_SRC] as number] as number;
  if ((v > (hot[o + S_LO] as number) && v < (hot[o + S_HI] as number)) || v !== v) return;
  const l = book.l.data;
  for (let k = o + S_MEMBER; k < o + S_MEMBER + S_MEMBERS; k++) {
    const slot = hot[k] as number;
    if (slot < 0) continue;
    const lo = slot * L_STRIDE;
    const x = xOf(l[lo + L_XFORM] as number, v);
    if ((l[lo + L_ARMED_MIN] as number) <= x || (l[lo + L_DISARMED_MAX] as number) > x)
      openLadder(core, book, book.ladderList[slot] as Ladder, x, NaN, tick, out);
  }
  book.recomputeSource(s);
}

/** Each cross ladder against its bounds, from the value and the previous one. */
function applyCrosses(core: EngineCore, book: InstrumentBook, tick: PriceTick, out: DecisionList): void {
  const hot = book.hot;
  const crossEnd = book.crossOffset + book.crossCount * C_STRIDE;
  for (let c = book.crossOffset; c < crossEnd; c += C_STRIDE) {
    const at = hot[c + C_SRC] as number;
    const form = hot[c + C_XFORM] as number;
    const x = xOf(form, hot[at] as number);
    const xPrev = xOf(form, hot[at + 1] as number);
    const fires = xPrev < x && (hot[c + C_ARMED_MIN] as number) <= x && (hot[c + C_ARMED_MAX] as number) > xPrev;
    if (fires || (hot[c + C_DISARMED_MAX] as number) > x)
      openLadder(core, book, book.ladderList[hot[c + C_SLOT] as number] as Ladder, x, xPrev, tick, out);
  }
}

/** Every source and cross ladder, the windows' values computed first. */
function applyLadders(core: EngineCore, book: InstrumentBook, tick: PriceTick, out: DecisionList): void {
  if (book.windowCount > 0) prepareWindows(book, tick.price, tick.tsMs);
  for (let s = 0, o = book.sourceOffset; s < book.sourceCount; s++, o += S_STRIDE)
    applySource(core, book, s, o, tick, out);
  applyCrosses(core, book, tick, out);
}

/**
 * Only the parts of the box the price left (see quiet-box.ts): the level
 * sources and cross ladders when it left the base part, and each window
 * whose part it left, with that window's values. The parts it stayed in
 * provably fire and re-arm nothing.
 */
function applyParts(core: EngineCore, book: InstrumentBook, tick: PriceTick, out: DecisionList): void {
  const price = tick.price;
  const groups = book.groupCount;
  const so = book.sourceOffset;
  if (!baseHolds(book, price)) {
    for (let s = 0; s < groups; s++) applySource(core, book, s, so + s * S_STRIDE, tick, out);
    applyCrosses(core, book, tick, out);
  }
  for (let w = 0, o = book.windowOffset; w < book.windowCount; w++, o += W_STRIDE) {
    if (windowHolds(book, w, price, tick.tsMs)) continue;
    prepareWindow(book, w, o, price, tick.tsMs);
    for (let s = book.windowSource(w), k = 0; k <= groups; s++, k++)
      applySource(core, book, s, so + s * S_STRIDE, tick, out);
  }
}

/**
 * Level and change rules whose cooldown ended by this price: fire now if
 * still met, else wait armed. Rules that fired together end their cooldowns
 * together: each ladder they sit on is synced once, after all of them.
 */
function endCooldowns(core: EngineCore, book: InstrumentBook, tick: PriceTick, out: DecisionList): void {
  const heap = book.cooldown;
  const t = core.table;
  const touched = core.touched;
  touched.length = 0;
  while (heap.size > 0 && heap.peekTime() <= tick.tsMs) {
    const h = heap.peekHandle();
    const e = heap.peekEpoch();
    heap.pop();
    if (t.epoch[h] !== e || t.flags[REC_BYTES * h + F_PHASE] !== PHASE.COOLING) continue;
    const ladder = core.ladders[t.ladder[h] as number] as Ladder;
    const lo = ladder.slot * L_STRIDE;
    const l = book.l.data;
    const x = xOf(l[lo + L_XFORM] as number, book.hot[l[lo + L_SRC] as number] as number);
    if (x >= (t.rec[REC * h + R_TRIGGER] as number)) {
      fire(core, book, ladder, h, tick, out);
    } else {
      t.flags[REC_BYTES * h + F_PHASE] = PHASE.ARMED;
      ladder.armed.insert(t.rec[REC * h + R_TRIGGER] as number, h);
    }
    if (ladder.touched !== core.stamp) {
      ladder.touched = core.stamp;
      touched.push(ladder);
    }
  }
  for (let i = 0; i < touched.length; i++) book.syncLadder(touched[i] as Ladder);
  touched.length = 0;
  book.cooldownAt = heap.peekTime();
}

/**
 * The first price of an instrument: its stale rules counted from their
 * creation (no price to count from); from now on they count from the last
 * price, in the index keyed by `after` they were in all along. Later prices
 * need nothing: a new gap re-arms them by itself (see StaleBook).
 */
function dropUnpriced(book: InstrumentBook): void {
  book.stale?.unpriced.clear();
}

/**
 * Evaluates a price already recorded as the book's newest: nothing inside the
 * quiet box; outside it, while its parts are as built (see quiet-box.ts),
 * only the parts the price left or an FX move took away; else everything.
 */
export function evaluatePrice(
  core: EngineCore,
  book: InstrumentBook,
  tick: PriceTick,
  prevPrice: number,
  firstPrice: boolean,
  out: DecisionList,
): void {
  core.stamp++;
  core.prevPrice = prevPrice;
  const ts = tick.tsMs;
  book.relaidOut = false;
  if (isQuiet(core, book, tick.price, ts)) {
    joinQuietBox(book.slots.q, book.at, tick.price);
    if (book.expiryAt <= ts) {
      // rules that expire only leave their ladders: what was quiet stays quiet
      const until = book.slots.q[book.at + Q_UNTIL_MS] as number;
      expireDue(core, book, ts, out);
      core.cleanup(book);
      if (!book.relaidOut) {
        book.slots.q[book.at + Q_UNTIL_MS] = until;
        book.hot[B_PARTS] = 1;
      }
    }
    book.pruneHistory();
    return;
  }
  // read before anything moves a ladder (which ends the parts); an expiry only leaves its ladder and keeps them
  const parts = !firstPrice && partsBuilt(book);
  if (parts) foldQuietPrices(book);
  if (book.expiryAt <= ts) expireDue(core, book, ts, out);
  if (book.groupCount > 0) {
    prepareGroups(core, book, tick.price, prevPrice);
    if (parts) {
      if (!fxHolds(core, book)) unholdFxParts(core, book);
      if (book.cooldownAt <= ts) unholdCoolingParts(core, book, ts);
      applyParts(core, book, tick, out);
    } else {
      applyLadders(core, book, tick, out);
    }
  }
  if (book.cooldownAt <= ts) endCooldowns(core, book, tick, out);
  if (firstPrice) dropUnpriced(book);
  core.cleanup(book);
  // after a relayout the values the box is built from are gone: the next price builds it
  if (!book.relaidOut) {
    if (parts) refreshBoxParts(core, book, tick.price, ts);
    else refreshQuietBox(core, book, tick.price, ts);
  }
  book.pruneHistory();
}
