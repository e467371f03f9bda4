/**
 * The quiet box of an instrument: a price interval and a validity (a time,
 * a price count, the FX rates it allows) inside which a price provably
 * fires, re-arms and ends nothing, so it is recorded without evaluating a
 * single ladder.
 *
 * After each full evaluation the box is rebuilt from what the ladders allow:
 * - a price source allows the prices whose value stays strictly inside its
 *   quiet interval (ladder-layout.ts);
 * - a change window allows the prices whose change stays inside its sources'
 *   intervals against every reference the coming prices can have. Those are
 *   observations already in the history (the window keeps their lowest and
 *   highest price: up to RANGE of them from its current reference, and
 *   until when that holds; the range slides on when the part is rebuilt
 *   after the reference moved) and, once
 *   its reference can reach the newest observation, later prices: each price
 *   recorded inside the box narrows it to what the window's changes allow
 *   against that price as a reference (joinQuietBox, from constants the
 *   part keeps), and the part itself learns the lowest and highest of them
 *   before the next price is evaluated against it (foldQuietPrices). Until
 *   then the box is as wide as the references already seen allow, where a
 *   box narrowed up front so that no two prices in it are a change apart
 *   was half as wide;
 * - a cross ladder allows the prices between its armed triggers around the
 *   current value (no trigger between two prices means no cross) and above
 *   its highest re-arm level;
 * - the end of the next cooldown ends the box. A rule that expires inside it
 *   only leaves its ladder, so the box stays (see evaluatePrice).
 * Each bound is moved inward by a relative 1e-9, far more than the rounding
 * of the values it stands for, so a price inside the box is quiet under the
 * engine's own arithmetic. An FX rate the instrument converts with may move
 * by FX_SLACK either way (every bound holds at both ends). Anything that
 * changes a ladder or the history's indices, or an FX rate beyond that, ends
 * the box.
 *
 * The box is kept in parts: the base part (the level sources and cross
 * ladders) and one part per change window, each with its own bounds and
 * validity, built at the price that last evaluated it; the box is where all
 * of them hold. A price outside the box, while nothing else ended it, is
 * evaluated only against the parts it left (most often one or two windows
 * whose reference range moved), and only those parts are rebuilt: a part
 * still holds as long as every price since it was built stayed inside it,
 * which is all its bounds assume. An FX rate beyond what the box allows
 * takes away only the parts whose bounds convert with a rate (each part
 * notes whether its do), the rates allowed then centred on the current ones.
 * The end of a cooldown takes away the parts that hold the ladders of the
 * rules whose cooldown ends (they fire or wait armed again at that price); a
 * late price takes away every window's part (any can have a new reference)
 * but not the base part, which reads only the newest price.
 * Anything else that ends the box ends the parts; the next price then
 * evaluates and rebuilds everything.
 */
import type { EngineCore } from "./engine-core.js";
import type { ConversionGroup, InstrumentBook, Ladder } from "./instrument-book.js";
import { FX_MANY, FX_NONE, SLOT_FIELDS } from "./instrument-slots.js";
import {
  BOOK_FIELDS,
  CROSS_FIELDS,
  GROUPS_AT,
  GROUP_FIELDS,
  PART_FIELDS,
  SOURCE_FIELDS,
  WINDOW_FIELDS,
} from "./ladder-layout.js";
import { OBS } from "./price-history.js";
import { inHi, inLo, openHi, openLo } from "./quiet-price.js";
import { PHASE, REC_BYTES, RULE_FLAGS } from "./rule-table.js";
import { toQuoteCurrency } from "./unit-conversion.js";

/**
 * observations a window's reference range covers ahead: more keep a part
 * valid longer but make it narrower (its references span more prices).
 * Counted on the benchmark's 2,100,000 prices, with ranges that slide as
 * the reference moves on (boundedRange), 32 takes nearly the fewest out of
 * the box: 641,782, against 680,800 with 24 and 635,068 with 48, which
 * reads 15% more observations (18.1 million against 15.8 million).
 */
const RANGE = 32;
/** observation windows up to this many back read their whole span and hold open-ended */
const OBS_OPEN = 16;
/** how far an FX rate may move (relative) before a box built on it no longer holds */
const FX_SLACK = 0.01;

const {
  QUIET_LO: Q_LO,
  QUIET_HI: Q_HI,
  QUIET_UNTIL_MS: Q_UNTIL_MS,
  QUIET_UNTIL_COUNT: Q_UNTIL_COUNT,
  PRICE_COUNT: Q_PRICE_COUNT,
  FX_SLOT: Q_FX_SLOT,
  FX_LO: Q_FX_LO,
  FX_HI: Q_FX_HI,
  OPEN_LO_RATIO: Q_OPEN_LO_RATIO,
  OPEN_LO_ADD: Q_OPEN_LO_ADD,
  OPEN_HI_RATIO: Q_OPEN_HI_RATIO,
  OPEN_HI_ADD: Q_OPEN_HI_ADD,
} = SLOT_FIELDS;
const {
  COOLDOWN_AT: B_COOLDOWN_AT,
  BASE_LO: B_BASE_LO,
  BASE_HI: B_BASE_HI,
  PARTS: B_PARTS,
  BASE_FX: B_BASE_FX,
  FOLDED: B_FOLDED,
} = BOOK_FIELDS;
const F_PHASE = RULE_FLAGS.PHASE;
const {
  RATE: G_RATE,
  INVERT: G_INVERT,
  HASFX: G_HASFX,
  RATE_LO: G_RATE_LO,
  RATE_HI: G_RATE_HI,
  STRIDE: G_STRIDE,
} = GROUP_FIELDS;
const {
  MS: W_MS,
  OBS: W_OBS,
  PTR: W_PTR,
  RMIN: W_RMIN,
  RMAX: W_RMAX,
  RUNTIL: W_RUNTIL,
  RFROM: W_RFROM,
  RTO: W_RTO,
  BFROM: W_BFROM,
  MIN_AT: W_MIN_AT,
  MAX_AT: W_MAX_AT,
  BOX_FX: W_BOX_FX,
  STRIDE: W_STRIDE,
} = WINDOW_FIELDS;
const { LO: S_LO, HI: S_HI, STRIDE: S_STRIDE } = SOURCE_FIELDS;
const {
  LO: P_LO,
  HI: P_HI,
  UNTIL_MS: P_UNTIL_MS,
  UNTIL_COUNT: P_UNTIL_COUNT,
  LO_RATIO: P_LO_RATIO,
  LO_ADD: P_LO_ADD,
  HI_RATIO: P_HI_RATIO,
  HI_ADD: P_HI_ADD,
  STRIDE: P_STRIDE,
} = PART_FIELDS;
const {
  SLOT: C_SLOT,
  SRC: C_SRC,
  XFORM: C_XFORM,
  ARMED_MIN: C_ARMED_MIN,
  ARMED_MAX: C_ARMED_MAX,
  DISARMED_MAX: C_DISARMED_MAX,
  STRIDE: C_STRIDE,
} = CROSS_FIELDS;

/** Whether the price is inside the box, where nothing needs evaluating (expiries aside: see evaluatePrice). */
export function isQuiet(core: EngineCore, book: InstrumentBook, price: number, tsMs: number): boolean {
  const q = book.slots.q;
  const o = book.at;
  return (
    tsMs < (q[o + Q_UNTIL_MS] as number) &&
    (q[o + Q_PRICE_COUNT] as number) < (q[o + Q_UNTIL_COUNT] as number) &&
    price > (q[o + Q_LO] as number) &&
    price < (q[o + Q_HI] as number) &&
    fxHolds(core, book)
  );
}

/**
 * Whether the parts of the box are as built: nothing but prices, late
 * prices and cooldowns changed the instrument since, so a price outside the
 * box needs only the parts it left evaluated again (see refreshBoxParts),
 * with those an FX move (unholdFxParts) or the end of a cooldown
 * (unholdCoolingParts) takes away.
 */
export function partsBuilt(book: InstrumentBook): boolean {
  return book.hot[B_PARTS] === 1;
}

/**
 * Cooldowns end at `tsMs`: the part holding the ladder of each rule whose
 * cooldown ends no longer holds, so that the price evaluates that part (and
 * its window's values) before the rule fires or waits armed again (see
 * endCooldowns). The other parts stay as built.
 */
export function unholdCoolingParts(core: EngineCore, book: InstrumentBook, tsMs: number): void {
  const t = core.table;
  const hot = book.hot;
  book.cooldown.forEachDue(tsMs, (h, epoch) => {
    if (t.epoch[h] !== epoch || t.flags[REC_BYTES * h + F_PHASE] !== PHASE.COOLING) return;
    const w = (core.ladders[t.ladder[h] as number] as Ladder).window;
    if (w === undefined) hot[B_BASE_LO] = NaN;
    else hot[book.partOffset + w.slot * P_STRIDE + P_UNTIL_MS] = -Infinity;
  });
}

/**
 * An FX rate left what the box allows: the rates allowed are centred on the
 * current ones (prepareGroups has read them), and every part whose bounds
 * depend on a rate no longer holds. The others never read one.
 */
export function unholdFxParts(core: EngineCore, book: InstrumentBook): void {
  centreFxRates(core, book);
  const hot = book.hot;
  if (hot[B_BASE_FX] === 1) hot[B_BASE_LO] = NaN;
  for (let w = 0, o = book.windowOffset; w < book.windowCount; w++, o += W_STRIDE)
    if (hot[o + W_BOX_FX] === 1) hot[book.partOffset + w * P_STRIDE + P_UNTIL_MS] = -Infinity;
}

/**
 * The FX rates a box allows: FX_SLACK either way around each group's
 * current rate (NaN without one). Noted in the instrument's slot too, for a
 * quiet price to check (quiet-price.ts): the groups' FX instrument and the
 * rates allowed, the same for every group converting with it.
 */
function centreFxRates(core: EngineCore, book: InstrumentBook): void {
  const hot = book.hot;
  const q = book.slots.q;
  const o = book.at;
  let fxSlot: number = FX_NONE;
  for (let g = 0, go = GROUPS_AT; g < book.groupCount; g++, go += G_STRIDE) {
    if (hot[go + G_HASFX] !== 1) continue;
    const rate = hot[go + G_RATE] as number;
    const lo = rate / (1 + FX_SLACK);
    const hi = rate * (1 + FX_SLACK);
    hot[go + G_RATE_LO] = lo;
    hot[go + G_RATE_HI] = hi;
    const group = book.groupList[g] as ConversionGroup;
    const fxBook = group.fxBookIn(core.books);
    if (fxSlot === FX_NONE && fxBook !== undefined) {
      fxSlot = fxBook.slot;
      q[o + Q_FX_LO] = lo;
      q[o + Q_FX_HI] = hi;
    } else if (fxBook?.slot !== fxSlot || !Object.is(lo, q[o + Q_FX_LO])) {
      fxSlot = FX_MANY;
    }
  }
  q[o + Q_FX_SLOT] = fxSlot;
}

/** Whether the base part (level sources, cross ladders) holds for this price. */
export function baseHolds(book: InstrumentBook, price: number): boolean {
  const hot = book.hot;
  return price > (hot[B_BASE_LO] as number) && price < (hot[B_BASE_HI] as number);
}

/** Whether the part of window `w` holds for this price. */
export function windowHolds(book: InstrumentBook, w: number, price: number, tsMs: number): boolean {
  const hot = book.hot;
  const p = book.partOffset + w * P_STRIDE;
  return (
    price > (hot[p + P_LO] as number) &&
    price < (hot[p + P_HI] as number) &&
    tsMs < (hot[p + P_UNTIL_MS] as number) &&
    book.priceCount < (hot[p + P_UNTIL_COUNT] as number)
  );
}

/** Whether every FX rate the box converts with is still inside what it allows. */
export function fxHolds(core: EngineCore, book: InstrumentBook): boolean {
  const hot = book.hot;
  for (let g = 0, go = GROUPS_AT; g < book.groupCount; g++, go += G_STRIDE) {
    if (hot[go + G_HASFX] !== 1) continue;
    const rate = fxRate(core, book.groupList[g] as ConversionGroup);
    const lo = hot[go + G_RATE_LO] as number;
    if (lo !== lo ? rate === rate : !(rate >= lo && rate <= (hot[go + G_RATE_HI] as number))) return false;
  }
  return true;
}

/** the latest price of the group's FX instrument (NaN before its first) */
function fxRate(core: EngineCore, group: ConversionGroup): number {
  const fxBook = group.fxBookIn(core.books);
  return fxBook !== undefined && fxBook.hasPrice ? fxBook.lastPrice : NaN;
}

/** the lowest amount in the quote currency that is above v in the rule currency at every allowed rate */
function loQuote(v: number, hot: Float64Array, go: number): number {
  if (hot[go + G_HASFX] !== 1) return v;
  const inv = hot[go + G_INVERT] === 1;
  return Math.max(
    toQuoteCurrency(v, hot[go + G_RATE_LO] as number, inv),
    toQuoteCurrency(v, hot[go + G_RATE_HI] as number, inv),
  );
}

/** the highest amount in the quote currency that is below v in the rule currency at every allowed rate */
function hiQuote(v: number, hot: Float64Array, go: number): number {
  if (hot[go + G_HASFX] !== 1) return v;
  const inv = hot[go + G_INVERT] === 1;
  return Math.min(
    toQuoteCurrency(v, hot[go + G_RATE_LO] as number, inv),
    toQuoteCurrency(v, hot[go + G_RATE_HI] as number, inv),
  );
}

/**
 * The lowest and highest price of observations [from, to), merged into the
 * window's range unless `fresh`, and the latest observation holding each.
 */
function scanRange(book: InstrumentBook, o: number, from: number, to: number, fresh: boolean): void {
  const tp = book.history.tp;
  const hot = book.hot;
  let lo = fresh ? Infinity : (hot[o + W_RMIN] as number);
  let hi = fresh ? -Infinity : (hot[o + W_RMAX] as number);
  let loAt = fresh ? NaN : (hot[o + W_MIN_AT] as number);
  let hiAt = fresh ? NaN : (hot[o + W_MAX_AT] as number);
  for (let i = Math.max(from, book.history.head); i < to; i++) {
    const p = tp[OBS * i + 1] as number;
    if (p <= lo) {
      lo = p;
      loAt = i;
    }
    if (p >= hi) {
      hi = p;
      hiAt = i;
    }
  }
  hot[o + W_RMIN] = lo;
  hot[o + W_RMAX] = hi;
  hot[o + W_MIN_AT] = loAt;
  hot[o + W_MAX_AT] = hiAt;
}

/**
 * An open-ended range: every observation from `from` to the newest, each a
 * possible later reference (every reference after them is a later price,
 * inside the box if it was quiet, which the box's own width then has to
 * allow: see refreshQuietBox). Only observations added since the last read
 * are read, until the range spans more than `span`: then it is read afresh.
 */
function openRange(book: InstrumentBook, o: number, from: number, span: number): void {
  const hot = book.hot;
  const end = book.history.end;
  const rfrom = hot[o + W_RFROM] as number;
  if (rfrom <= from && end - rfrom <= span) {
    scanRange(book, o, hot[o + W_RTO] as number, end, false);
  } else {
    scanRange(book, o, from, end, true);
    hot[o + W_RFROM] = from;
  }
  hot[o + W_RTO] = end;
  hot[o + W_RUNTIL] = NaN;
  hot[o + W_BFROM] = NaN;
}

/**
 * A bounded range: the next `n` possible references, starting at `from`.
 * When the window's last bounded range started at or before `from` (its
 * reference has moved on since), the references already passed leave it,
 * which narrows it, and only the references it gains are read, unless its
 * lowest or highest price was among those it loses. A part rebuilt because
 * a price left it slides its range this way instead of keeping it until it
 * runs out: counted on the benchmark's 2,100,000 prices, the prices that
 * take the full path fall from 720,725 to 641,782.
 */
function boundedRange(book: InstrumentBook, o: number, from: number, n: number): void {
  const hot = book.hot;
  const old = hot[o + W_BFROM] as number;
  if (old <= from && (hot[o + W_MIN_AT] as number) >= from && (hot[o + W_MAX_AT] as number) >= from)
    scanRange(book, o, old + n, from + n, false);
  else scanRange(book, o, from, from + n, true);
  hot[o + W_RFROM] = NaN;
  hot[o + W_BFROM] = from;
}

/** Rebuilds the whole box after a full evaluation of `price` at `tsMs`, the FX rates allowed centred on the current ones. */
export function refreshQuietBox(core: EngineCore, book: InstrumentBook, price: number, tsMs: number): void {
  centreFxRates(core, book);
  buildBase(book, price);
  for (let w = 0, o = book.windowOffset; w < book.windowCount; w++, o += W_STRIDE) buildWindow(book, w, o, price, tsMs);
  // every part was built from the whole history
  book.hot[B_FOLDED] = book.priceCount;
  combineParts(core, book);
}

/**
 * Before a price outside the box is evaluated against the parts (the box
 * itself already narrowed for each, see joinQuietBox): the prices recorded
 * since the parts were last built or folded, this one included, are possible
 * references of the open-ended windows, and each such window's part narrows
 * to what its changes allow against the lowest and highest of them. They are
 * the newest observations of the history (one per price counted), read once.
 */
export function foldQuietPrices(book: InstrumentBook): void {
  const hot = book.hot;
  const count = book.priceCount;
  const n = count - (hot[B_FOLDED] as number);
  hot[B_FOLDED] = count;
  if (n <= 0) return;
  const h = book.history;
  const tp = h.tp;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = Math.max(h.head, h.end - n); i < h.end; i++) {
    const p = tp[OBS * i + 1] as number;
    if (p < lo) lo = p;
    if (p > hi) hi = p;
  }
  if (!(lo <= hi)) return;
  for (let w = 0, p = book.partOffset; w < book.windowCount; w++, p += P_STRIDE) {
    const plo = openLo(hi, hot[p + P_LO_RATIO] as number, hot[p + P_LO_ADD] as number);
    if (plo > (hot[p + P_LO] as number)) hot[p + P_LO] = plo;
    const phi = openHi(lo, hot[p + P_HI_RATIO] as number, hot[p + P_HI_ADD] as number);
    if (phi < (hot[p + P_HI] as number)) hot[p + P_HI] = phi;
  }
}

/**
 * Rebuilds, after a partial evaluation (see evaluatePrice), the parts that do
 * not hold for `price`: the ones it evaluated. The others still hold as
 * built, and so do the FX rates they allow.
 */
export function refreshBoxParts(core: EngineCore, book: InstrumentBook, price: number, tsMs: number): void {
  if (!baseHolds(book, price)) buildBase(book, price);
  for (let w = 0, o = book.windowOffset; w < book.windowCount; w++, o += W_STRIDE)
    if (!windowHolds(book, w, price, tsMs)) buildWindow(book, w, o, price, tsMs);
  combineParts(core, book);
}

/** The box is where every part holds. */
function combineParts(core: EngineCore, book: InstrumentBook): void {
  const hot = book.hot;
  let lo = hot[B_BASE_LO] as number;
  let hi = hot[B_BASE_HI] as number;
  let until = hot[B_COOLDOWN_AT] as number;
  let untilCount = Infinity;
  let loRatio = -Infinity;
  let loAdd = -Infinity;
  let hiRatio = Infinity;
  let hiAdd = Infinity;
  for (let w = 0, p = book.partOffset; w < book.windowCount; w++, p += P_STRIDE) {
    lo = Math.max(lo, hot[p + P_LO] as number);
    hi = Math.min(hi, hot[p + P_HI] as number);
    until = Math.min(until, hot[p + P_UNTIL_MS] as number);
    untilCount = Math.min(untilCount, hot[p + P_UNTIL_COUNT] as number);
    loRatio = Math.max(loRatio, hot[p + P_LO_RATIO] as number);
    loAdd = Math.max(loAdd, hot[p + P_LO_ADD] as number);
    hiRatio = Math.min(hiRatio, hot[p + P_HI_RATIO] as number);
    hiAdd = Math.min(hiAdd, hot[p + P_HI_ADD] as number);
  }
  const q = book.slots.q;
  const o = book.at;
  q[o + Q_LO] = lo;
  q[o + Q_HI] = hi;
  q[o + Q_UNTIL_MS] = until;
  q[o + Q_UNTIL_COUNT] = untilCount;
  q[o + Q_OPEN_LO_RATIO] = loRatio;
  q[o + Q_OPEN_LO_ADD] = loAdd;
  q[o + Q_OPEN_HI_RATIO] = hiRatio;
  q[o + Q_OPEN_HI_ADD] = hiAdd;
  hot[B_PARTS] = 1;
}

/** The base part: what the level sources allow, and the armed triggers around each cross ladder's value. */
function buildBase(book: InstrumentBook, price: number): void {
  const hot = book.hot;
  let lo = -Infinity;
  let hi = Infinity;
  let fx = false;
  for (let g = 0, go = GROUPS_AT, so = book.sourceOffset; g < book.groupCount; g++, go += G_STRIDE, so += S_STRIDE) {
    const slo = hot[so + S_LO] as number;
    const shi = hot[so + S_HI] as number;
    if (hot[go + G_HASFX] === 1) {
      if (slo > -Infinity || shi < Infinity) fx = true;
      // without a rate the group's values are NaN whatever the price
      if (hot[go + G_RATE] !== hot[go + G_RATE]) continue;
    }
    lo = Math.max(lo, loQuote(slo, hot, go));
    hi = Math.min(hi, hiQuote(shi, hot, go));
  }
  const crossEnd = book.crossOffset + book.crossCount * C_STRIDE;
  for (let c = book.crossOffset; c < crossEnd; c += C_STRIDE) {
    const at = hot[c + C_SRC] as number;
    // a cross reads its group's price, at srcOffset + 2 * the group's slot
    const go = GROUPS_AT + ((at - book.srcOffset) / 2) * G_STRIDE;
    if (hot[go + G_HASFX] === 1) fx = true;
    const v = hot[at] as number;
    if (v !== v) continue;
    const down = hot[c + C_XFORM] === 1;
    const x = down ? -v : v;
    // x strictly between a and b crosses no armed trigger and re-arms nothing; the index is
    // searched only when x is among its triggers
    const amin = hot[c + C_ARMED_MIN] as number;
    const amax = hot[c + C_ARMED_MAX] as number;
    let a: number;
    let b: number;
    if (x < amin) {
      a = -Infinity;
      b = amin;
    } else if (x >= amax) {
      a = amax;
      b = Infinity;
    } else {
      const armed = (book.ladderList[hot[c + C_SLOT] as number] as Ladder).armed;
      a = armed.floorKey(x);
      b = armed.higherKey(x);
    }
    a = Math.max(a, hot[c + C_DISARMED_MAX] as number);
    lo = Math.max(lo, loQuote(down ? -b : a, hot, go));
    hi = Math.min(hi, hiQuote(down ? -a : b, hot, go));
  }
  hot[B_BASE_LO] = inLo(lo, price);
  hot[B_BASE_HI] = inHi(hi, price);
  hot[B_BASE_FX] = fx ? 1 : 0;
}

/** The part of window `w` (at `o` in `hot`): what its sources allow against every reference the coming prices can have. */
function buildWindow(book: InstrumentBook, w: number, o: number, price: number, tsMs: number): void {
  const hot = book.hot;
  const h = book.history;
  const groups = book.groupCount;
  let lo = -Infinity;
  let hi = Infinity;
  let until = Infinity;
  let untilCount = Infinity;
  const back = hot[o + W_OBS] as number;
  let open: boolean;
  if (back > 0) {
    // the j-th coming price's reference is observation end - 1 - back + j
    open = back <= OBS_OPEN;
    if (open) {
      openRange(book, o, h.end - back, 2 * back);
    } else {
      // no further than the newest: the (back + 1)-th coming price's reference is a price yet to come
      const n = Math.min(RANGE, back);
      const start = h.end - back;
      if (!(book.priceCount < (hot[o + W_RUNTIL] as number)) || start !== hot[o + W_BFROM]) {
        boundedRange(book, o, start, n);
        hot[o + W_RUNTIL] = book.priceCount + n + 1;
      }
      untilCount = hot[o + W_RUNTIL] as number;
    }
  } else {
    const ptr = hot[o + W_PTR] as number;
    const from = ptr < h.head ? h.head : ptr;
    const u = hot[o + W_RUNTIL] as number;
    open = false;
    const ended = !(tsMs < u);
    if (ended && h.end - from <= RANGE) {
      open = true;
      openRange(book, o, from, 2 * RANGE);
    } else if (ended || ((hot[o + W_BFROM] as number) < from && h.end - from > RANGE)) {
      // a new range, or the range slid on to the window's reference
      boundedRange(book, o, from, RANGE);
      hot[o + W_RUNTIL] = (h.tp[OBS * (from + RANGE)] as number) + (hot[o + W_MS] as number);
    }
    if (!open) until = hot[o + W_RUNTIL] as number;
  }
  const rmin = hot[o + W_RMIN] as number;
  const rmax = hot[o + W_RMAX] as number;
  const sp = book.sourceOffset + book.windowSource(w) * S_STRIDE;
  const plo = hot[sp + S_LO] as number;
  const phi = hot[sp + S_HI] as number;
  // change in percent, decreasing in the reference: the highest bounds it from below, the lowest from above
  if (rmin <= rmax) {
    if (plo > -Infinity) lo = Math.max(lo, rmax * (1 + plo / 100));
    if (phi < Infinity) hi = Math.min(hi, rmin * (1 + phi / 100));
  }
  // what a later price, once a possible reference of an open-ended window, takes off the part
  const loRatio = plo > -Infinity ? 1 + plo / 100 : -Infinity;
  const hiRatio = phi < Infinity ? 1 + phi / 100 : Infinity;
  let loAdd = -Infinity;
  let hiAdd = Infinity;
  let fx = false;
  for (let k = 0, go = GROUPS_AT; k < groups; k++, go += G_STRIDE) {
    const sa = sp + (1 + k) * S_STRIDE;
    const slo = hot[sa + S_LO] as number;
    const shi = hot[sa + S_HI] as number;
    if (hot[go + G_HASFX] === 1) {
      if (slo > -Infinity || shi < Infinity) fx = true;
      if (hot[go + G_RATE] !== hot[go + G_RATE]) continue;
    }
    const alo = loQuote(slo, hot, go);
    const ahi = hiQuote(shi, hot, go);
    if (rmin <= rmax) {
      lo = Math.max(lo, rmax + alo);
      hi = Math.min(hi, rmin + ahi);
    }
    loAdd = Math.max(loAdd, alo);
    hiAdd = Math.min(hiAdd, ahi);
  }
  const p = book.partOffset + w * P_STRIDE;
  hot[p + P_LO] = inLo(lo, price);
  hot[p + P_HI] = inHi(hi, price);
  hot[p + P_UNTIL_MS] = until;
  hot[p + P_UNTIL_COUNT] = untilCount;
  hot[p + P_LO_RATIO] = open ? loRatio : -Infinity;
  hot[p + P_LO_ADD] = open ? loAdd : -Infinity;
  hot[p + P_HI_RATIO] = open ? hiRatio : Infinity;
  hot[p + P_HI_ADD] = open ? hiAdd : Infinity;
  hot[o + W_BOX_FX] = fx ? 1 : 0;
}
