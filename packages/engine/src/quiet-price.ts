/**
 * The path of a price inside its instrument's quiet box: it reads the
 * instrument's numbers in InstrumentSlots and appends to the end of its
 * history, touching nothing else.
 */
import { FX_MANY, FX_NONE, SLOT_FIELDS } from "./instrument-slots.js";
import type { InstrumentSlots } from "./instrument-slots.js";
import { OBS, SOURCE_CODES, TS_CODE, isoForm } from "./price-history.js";
import type { PriceTick } from "./types.js";

const {
  QUIET_LO: Q_LO,
  QUIET_HI: Q_HI,
  QUIET_UNTIL_MS: Q_UNTIL_MS,
  QUIET_UNTIL_COUNT: Q_UNTIL_COUNT,
  LAST_TS_MS: Q_LAST_TS_MS,
  PRICE_COUNT: Q_PRICE_COUNT,
  EXPIRY_AT: Q_EXPIRY_AT,
  FX_SLOT: Q_FX_SLOT,
  FX_LO: Q_FX_LO,
  FX_HI: Q_FX_HI,
  LAST_PRICE: Q_LAST_PRICE,
  LAST_SEQ: Q_LAST_SEQ,
  HISTORY_POS: Q_POS,
  HISTORY_LIMIT: Q_LIMIT,
  HISTORY_SLAB: Q_SLAB,
  SOURCE_ID: Q_SOURCE_ID,
  OPEN_LO_RATIO: Q_OPEN_LO_RATIO,
  OPEN_LO_ADD: Q_OPEN_LO_ADD,
  OPEN_HI_RATIO: Q_OPEN_HI_RATIO,
  OPEN_HI_ADD: Q_OPEN_HI_ADD,
  STRIDE,
} = SLOT_FIELDS;

/** how far (relative) every bound of the box is moved inward (see quiet-box.ts) */
const MARGIN = 1e-9;

/** a low bound of the box moved inward by MARGIN, `price` the scale of what it was computed from */
export function inLo(lo: number, price: number): number {
  return lo === -Infinity ? lo : lo + MARGIN * Math.max(Math.abs(lo), price);
}

/** a high bound of the box moved inward by MARGIN */
export function inHi(hi: number, price: number): number {
  return hi === Infinity ? hi : hi - MARGIN * Math.max(Math.abs(hi), price);
}

/** the low end an open-ended window's changes (as OPEN_LO_* in SLOT_FIELDS) allow against a reference at `price` */
export function openLo(price: number, ratio: number, add: number): number {
  return inLo(Math.max(price * ratio, price + add), price);
}

/** the high end an open-ended window's changes (as OPEN_HI_* in SLOT_FIELDS) allow against a reference at `price` */
export function openHi(price: number, ratio: number, add: number): number {
  return inHi(Math.min(price * ratio, price + add), price);
}

/**
 * A price recorded inside the box (at `o` in `q`) is from now on a reference
 * the box's open-ended windows can have: the box narrows to what their
 * changes allow against it (OPEN_* in SLOT_FIELDS). The windows' own parts
 * learn it at the next evaluation (foldQuietPrices). A price inside the range
 * of references a part was built from narrows nothing.
 */
export function joinQuietBox(q: Float64Array, o: number, price: number): void {
  const lo = openLo(price, q[o + Q_OPEN_LO_RATIO] as number, q[o + Q_OPEN_LO_ADD] as number);
  if (lo > (q[o + Q_LO] as number)) q[o + Q_LO] = lo;
  const hi = openHi(price, q[o + Q_OPEN_HI_RATIO] as number, q[o + Q_OPEN_HI_ADD] as number);
  if (hi < (q[o + Q_HI] as number)) q[o + Q_HI] = hi;
}

/**
 * Records a price that provably changes nothing but the instrument's last
 * price and history, and returns true; returns false, having changed nothing,
 * for any price that needs the full path (RuleEngine.onPrice): one outside
 * the quiet box or past its validity, not newer than the last, from another
 * source than the last, with a ts not in ISO form, a full history block, an
 * FX rate moved, an expiry due, or anything invalid.
 */
export function recordQuiet(s: InstrumentSlots, tick: PriceTick): boolean {
  const slot = s.ids.get(tick.instrument);
  if (slot === undefined) return false;
  const q = s.q;
  const o = slot * STRIDE;
  const price = tick.price;
  const tsMs = tick.tsMs;
  if (!(
    tsMs > (q[o + Q_LAST_TS_MS] as number) &&
    tsMs < (q[o + Q_UNTIL_MS] as number) &&
    tsMs < (q[o + Q_EXPIRY_AT] as number) &&
    // the count this price will have (the box is valid for prices counted below QUIET_UNTIL_COUNT)
    (q[o + Q_PRICE_COUNT] as number) + 1 < (q[o + Q_UNTIL_COUNT] as number) &&
    price > (q[o + Q_LO] as number) &&
    price < (q[o + Q_HI] as number) &&
    price > 0
  ))
    return false;
  const pos = q[o + Q_POS] as number;
  if (!(pos < (q[o + Q_LIMIT] as number)) || tick.source !== s.sources[slot] || tick.unit !== s.units[slot])
    return false;
  const fx = q[o + Q_FX_SLOT] as number;
  if (fx !== FX_NONE) {
    if (fx === FX_MANY) return false;
    const rate = q[fx * STRIDE + Q_LAST_PRICE] as number;
    const lo = q[o + Q_FX_LO] as number;
    if (lo === lo ? !(rate >= lo && rate <= (q[o + Q_FX_HI] as number)) : rate === rate) return false;
  }
  const form = isoForm(tick.ts, tsMs);
  if (form === TS_CODE.ODD) return false;
  const slab = s.slabs[q[o + Q_SLAB] as number] as Float64Array;
  slab[pos] = tsMs;
  slab[pos + 1] = price;
  slab[pos + 2] = form * SOURCE_CODES + (q[o + Q_SOURCE_ID] as number);
  q[o + Q_POS] = pos + OBS;
  q[o + Q_LAST_TS_MS] = tsMs;
  q[o + Q_LAST_PRICE] = price;
  q[o + Q_PRICE_COUNT] = (q[o + Q_PRICE_COUNT] as number) + 1;
  q[o + Q_LAST_SEQ] = tick.seq;
  joinQuietBox(q, o, price);
  return true;
}
