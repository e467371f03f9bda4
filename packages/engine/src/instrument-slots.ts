/**
 * What a price inside its instrument's quiet box reads and writes, for every
 * instrument in one Float64Array: 20 numbers (two or three cache lines) per
 * instrument, indexed by the instrument's slot. Most prices are quiet; one
 * quiet price touches its instrument's lines, the end of its history and
 * nothing else (not the book, not the history object, not the ladders), so a
 * rarely traded instrument's price costs a few cache misses instead of a
 * dozen.
 *
 * The numbers here are the only copy: the book and the history read and
 * write their last price, price count, quiet box and history end through
 * them (see InstrumentBook, PriceHistory).
 */
export const SLOT_FIELDS = {
  /** the quiet box (see quiet-box.ts): prices strictly between LO and HI ... */
  QUIET_LO: 0,
  QUIET_HI: 1,
  /** ... before this time and this price count ... */
  QUIET_UNTIL_MS: 2,
  QUIET_UNTIL_COUNT: 3,
  LAST_TS_MS: 4,
  /** in-order prices so far: the current stale gap, and what QUIET_UNTIL_COUNT counts */
  PRICE_COUNT: 5,
  /** earliest `expiresAt` of the instrument's rules (Infinity when none) */
  EXPIRY_AT: 6,
  /** ... with the FX rate of the instrument in this slot within FX_LO..FX_HI (FX_NONE: no rate is used; FX_MANY: more than one) */
  FX_SLOT: 7,
  FX_LO: 8,
  FX_HI: 9,
  LAST_PRICE: 10,
  LAST_SEQ: 11,
  /** where the next observation goes in the history's slab, and where its block ends */
  HISTORY_POS: 12,
  HISTORY_LIMIT: 13,
  /** the history's slab (an index into `slabs`) */
  HISTORY_SLAB: 14,
  /** the history's index of the source in `sources` */
  SOURCE_ID: 15,
  /**
   * what a price recorded inside the box takes off it, as a reference the
   * box's open-ended windows can have from now on (see joinQuietBox): the
   * box's low end rises to at least price * OPEN_LO_RATIO and price +
   * OPEN_LO_ADD, its high end falls to at most price * OPEN_HI_RATIO and
   * price + OPEN_HI_ADD (-Infinity and Infinity: nothing)
   */
  OPEN_LO_RATIO: 16,
  OPEN_LO_ADD: 17,
  OPEN_HI_RATIO: 18,
  OPEN_HI_ADD: 19,
  STRIDE: 20,
} as const;

/** FX_SLOT when the box converts with no FX rate, and when it converts with more than one FX instrument's */
export const FX_NONE = -1;
export const FX_MANY = -2;

const F = SLOT_FIELDS;

/** The per-instrument numbers of one engine, and the few references a quiet price needs beside them. */
export class InstrumentSlots {
  q: Float64Array = new Float64Array(0);
  count = 0;
  /** the slot of each instrument */
  readonly ids = new Map<string, number>();
  /** the quote unit of each slot */
  readonly units: string[] = [];
  /** the source of each slot's SOURCE_ID */
  readonly sources: Array<string | undefined> = [];
  /** every slab a history block lies in, each seen whole (HISTORY_SLAB indexes this) */
  readonly slabs: Float64Array[] = [];
  private readonly slabIds = new Map<ArrayBufferLike, number>();

  /** a new slot for an instrument, its numbers at their initial values */
  add(instrument: string, unit: string): number {
    if (this.count * F.STRIDE === this.q.length) {
      const q = new Float64Array(Math.max(64, this.count * 2) * F.STRIDE);
      q.set(this.q);
      this.q = q;
    }
    const slot = this.count++;
    const o = slot * F.STRIDE;
    const q = this.q;
    q[o + F.QUIET_LO] = Infinity;
    q[o + F.QUIET_HI] = -Infinity;
    q[o + F.QUIET_UNTIL_MS] = -Infinity;
    q[o + F.QUIET_UNTIL_COUNT] = -Infinity;
    q[o + F.LAST_TS_MS] = NaN;
    q[o + F.PRICE_COUNT] = 0;
    q[o + F.EXPIRY_AT] = Infinity;
    q[o + F.FX_SLOT] = FX_NONE;
    q[o + F.FX_LO] = NaN;
    q[o + F.FX_HI] = NaN;
    q[o + F.LAST_PRICE] = NaN;
    q[o + F.LAST_SEQ] = 0;
    q[o + F.SOURCE_ID] = -1;
    q[o + F.OPEN_LO_RATIO] = -Infinity;
    q[o + F.OPEN_LO_ADD] = -Infinity;
    q[o + F.OPEN_HI_RATIO] = Infinity;
    q[o + F.OPEN_HI_ADD] = Infinity;
    if (instrument !== "") this.ids.set(instrument, slot);
    this.units[slot] = unit;
    this.sources[slot] = undefined;
    return slot;
  }

  /** the index in `slabs` of the slab a history block is a view of */
  slabOf(block: Float64Array): number {
    const buffer = block.buffer;
    let id = this.slabIds.get(buffer);
    if (id === undefined) {
      id = this.slabs.length;
      this.slabs.push(new Float64Array(buffer));
      this.slabIds.set(buffer, id);
    }
    return id;
  }
}
