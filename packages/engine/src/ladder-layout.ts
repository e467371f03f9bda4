/**
 * The per-price data of one instrument, packed in one Float64Array (`hot`)
 * so a price touches few cache lines: the book's own numbers (BOOK_FIELDS),
 * its conversion groups, its windows,
 * the values ladders compare (`src`), its sources and its cross ladders.
 * Rebuilt from the objects whenever groups, windows or ladders change.
 *
 * A "source" is one value a price produces: a price in one currency, a
 * window's change in percent, or its change in amount in one currency. The
 * level and change ladders reading a source (at most three: up, down, any)
 * share one quiet interval (lo, hi): while the value stays strictly inside,
 * none of them can fire or re-arm, so a price that moves nothing costs one
 * comparison per source. Cross ladders depend on the previous price too and
 * are checked one by one, from a copy of their bounds in `hot`.
 */
import { FAMILY } from "./compiled-rule.js";
import type { ConversionGroup, Ladder, WindowRef } from "./instrument-book.js";
import { SLOT_FIELDS } from "./instrument-slots.js";
import type { InstrumentSlots } from "./instrument-slots.js";
import { SlotArrays } from "./slot-arrays.js";

/**
 * The instrument's own numbers an evaluated price reads or writes, first in
 * `hot` (as fields each would be a separate heap box, here they share the
 * line the price reads first; what a quiet price reads is in the
 * instrument's slot, see instrument-slots.ts). Then come the groups.
 */
export const BOOK_FIELDS = {
  /** earliest end of a cooldown in the book's cooldown heap (Infinity when none) */
  COOLDOWN_AT: 0,
  /** longest duration window, largest observation count of the active change rules */
  NEED_MS: 1,
  NEED_OBS: 2,
  /** the part of the box the level sources and cross ladders allow (each window keeps its own part: BOX_*) */
  BASE_LO: 3,
  BASE_HI: 4,
  /** 1 while every part of the box holds as built: a price outside the box re-evaluates only the parts it left */
  PARTS: 5,
  /** 1 when the base part's bounds depend on an FX rate */
  BASE_FX: 6,
  /** the price count up to which the prices recorded are folded into the windows' parts (see foldQuietPrices) */
  FOLDED: 7,
  STRIDE: 8,
} as const;
/** where the groups start in `hot` */
export const GROUPS_AT = BOOK_FIELDS.STRIDE;

/** A group: the FX rate at this price, its direction, whether it has one. */
export const GROUP_FIELDS = {
  RATE: 0,
  INVERT: 1,
  HASFX: 2,
  /** the FX rates the quiet box allows (NaN, NaN: built without a rate, and good while there is none) */
  RATE_LO: 3,
  RATE_HI: 4,
  STRIDE: 5,
} as const;
/**
 * A window: span, cached reference index, the history version it is valid
 * for, the time of the observation after it, reference, change.
 */
export const WINDOW_FIELDS = {
  MS: 0,
  OBS: 1,
  PTR: 2,
  VERSION: 3,
  NEXT: 4,
  REF: 5,
  PCT: 6,
  ABS: 7,
  /** the lowest and highest reference the coming prices can have (see quiet-box.ts) ... */
  RMIN: 8,
  RMAX: 9,
  /** ... until this time (duration windows; NaN: open-ended, see quiet-box.ts) or price count */
  RUNTIL: 10,
  /** the observations an open-ended range was read from (NaN: none) */
  RFROM: 11,
  RTO: 12,
  /**
   * the first observation of a bounded range and where in it its lowest and
   * highest price are (NaN: none, or the history's indices moved since)
   */
  BFROM: 13,
  MIN_AT: 14,
  MAX_AT: 15,
  /** 1 when the window's part of the quiet box (PART_FIELDS) depends on an FX rate */
  BOX_FX: 16,
  STRIDE: 17,
} as const;
/**
 * A window's part of the quiet box: prices strictly between LO and HI,
 * before UNTIL_MS and UNTIL_COUNT. An open-ended window's part also says
 * what a price that becomes a possible reference takes off it (as OPEN_* in
 * SLOT_FIELDS; -Infinity and Infinity for a bounded window). The parts of
 * all windows lie together after the groups, near the book's numbers: a
 * price outside the box reads every part to find the ones it left (a few
 * cache lines, not one per window).
 */
export const PART_FIELDS = {
  LO: 0,
  HI: 1,
  UNTIL_MS: 2,
  UNTIL_COUNT: 3,
  LO_RATIO: 4,
  LO_ADD: 5,
  HI_RATIO: 6,
  HI_ADD: 7,
  STRIDE: 8,
} as const;
/**
 * A ladder slot: where its value is in `hot` (for a cross, the previous price
 * follows it), how x derives from it (0 as is, 1 negated, 2 magnitude), its
 * source (for a cross, -2 - its index among the cross ladders) and its index bounds.
 */
export const LADDER_FIELDS = {
  SRC: 0,
  XFORM: 1,
  SOURCE: 2,
  ARMED_MIN: 3,
  ARMED_MAX: 4,
  DISARMED_MAX: 5,
  STRIDE: 6,
} as const;
/** A source: where its value is in `hot`, its quiet interval, and up to three ladder slots (-1 when fewer). */
export const SOURCE_FIELDS = { SRC: 0, LO: 1, HI: 2, MEMBER: 3, MEMBERS: 3, STRIDE: 6 } as const;
/** A cross ladder in `hot`: its slot, where its value is, how x derives from it, its index bounds. */
export const CROSS_FIELDS = {
  SLOT: 0,
  SRC: 1,
  XFORM: 2,
  ARMED_MIN: 3,
  ARMED_MAX: 4,
  DISARMED_MAX: 5,
  STRIDE: 6,
} as const;

const { INVERT: G_INVERT, HASFX: G_HASFX, STRIDE: G_STRIDE } = GROUP_FIELDS;
const {
  MS: W_MS,
  OBS: W_OBS,
  PTR: W_PTR,
  VERSION: W_VERSION,
  RUNTIL: W_RUNTIL,
  RFROM: W_RFROM,
  BFROM: W_BFROM,
  STRIDE: W_STRIDE,
} = WINDOW_FIELDS;
const { UNTIL_MS: P_UNTIL_MS, STRIDE: P_STRIDE } = PART_FIELDS;

/** sets the part at `p` to one that holds for no price and narrows nothing */
function clearPart(hot: Float64Array, p: number): void {
  const F = PART_FIELDS;
  hot[p + F.LO] = Infinity;
  hot[p + F.HI] = -Infinity;
  hot[p + F.UNTIL_MS] = -Infinity;
  hot[p + F.UNTIL_COUNT] = -Infinity;
  hot[p + F.LO_RATIO] = -Infinity;
  hot[p + F.LO_ADD] = -Infinity;
  hot[p + F.HI_RATIO] = Infinity;
  hot[p + F.HI_ADD] = Infinity;
}
const {
  SRC: L_SRC,
  XFORM: L_XFORM,
  SOURCE: L_SOURCE,
  ARMED_MIN: L_ARMED_MIN,
  ARMED_MAX: L_ARMED_MAX,
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

/** a `hot` array holding only the book's numbers, at their initial values */
function bookHeader(): Float64Array {
  const hot = new Float64Array(BOOK_FIELDS.STRIDE);
  hot[BOOK_FIELDS.COOLDOWN_AT] = Infinity;
  hot[BOOK_FIELDS.BASE_LO] = Infinity;
  hot[BOOK_FIELDS.BASE_HI] = -Infinity;
  return hot;
}

export class LadderLayout {
  /** where the instrument's numbers start in slots.q */
  readonly at: number;
  readonly groupList: ConversionGroup[] = [];
  readonly windowList: WindowRef[] = [];
  readonly ladderList: Ladder[] = [];
  groupCount = 0;
  windowCount = 0;
  /** ladder slots (L_*), moved only when a ladder is dropped */
  readonly l = new SlotArrays(L_STRIDE);
  /** groups, then windows, then src, then sources, then cross ladder slots */
  hot = bookHeader();
  /** where the windows' parts of the quiet box start (PART_FIELDS, one per window) */
  partOffset = 0;
  windowOffset = 0;
  srcOffset = 0;
  sourceOffset = 0;
  sourceCount = 0;
  crossOffset = 0;
  crossCount = 0;
  /** set by relayout: the per-price values in `hot` are gone until the next price */
  relaidOut = false;

  constructor(
    readonly slots: InstrumentSlots,
    readonly slot: number,
  ) {
    this.at = slot * SLOT_FIELDS.STRIDE;
  }

  addGroup(group: ConversionGroup): void {
    this.groupList.push(group);
    this.relayout();
  }

  addWindow(w: WindowRef): void {
    this.windowList.push(w);
    this.relayout();
  }

  addLadder(ladder: Ladder): void {
    ladder.slot = this.l.add();
    this.ladderList.push(ladder);
    const o = ladder.slot * L_STRIDE;
    this.l.data[o + L_XFORM] = ladder.direction;
    this.l.data[o + L_ARMED_MIN] = Infinity;
    this.l.data[o + L_ARMED_MAX] = -Infinity;
    this.l.data[o + L_DISARMED_MAX] = -Infinity;
    this.relayout();
  }

  /** frees the slot of a ladder that emptied (the last slot moves into it) */
  dropLadder(ladder: Ladder): void {
    const last = this.ladderList.pop() as Ladder;
    this.l.removeByMovingLast(ladder.slot);
    if (last !== ladder) {
      this.ladderList[ladder.slot] = last;
      last.slot = ladder.slot;
    }
    ladder.slot = -1;
  }

  /** where window w's values start in `hot` */
  windowSrc(w: number): number {
    return this.srcOffset + 2 * this.groupList.length + w * (1 + this.groupList.length);
  }

  /** the index of window w's first source (its change in percent; one in amount per group follows) */
  windowSource(w: number): number {
    return this.groupCount + w * (1 + this.groupCount);
  }

  /** rebuilds `hot` and points every ladder at its value and source, after groups, windows or ladders changed */
  relayout(): void {
    const groups = this.groupList.length;
    const windows = this.windowList.length;
    // windows keep their cached reference across a relayout (it costs a search to find again)
    const oldHot = this.hot;
    const oldWindowOffset = this.windowOffset;
    const oldSlots = this.windowList.map((w) => (w.slot >= 0 && w.slot < this.windowCount ? w.slot : -1));
    this.groupList.forEach((g, i) => (g.slot = i));
    this.windowList.forEach((w, i) => (w.slot = i));
    this.partOffset = GROUPS_AT + groups * G_STRIDE;
    this.windowOffset = this.partOffset + windows * P_STRIDE;
    this.srcOffset = this.windowOffset + windows * W_STRIDE;
    const srcCount = 2 * groups + windows * (1 + groups);
    this.sourceOffset = this.srcOffset + srcCount;
    this.sourceCount = groups + windows * (1 + groups);
    this.crossOffset = this.sourceOffset + this.sourceCount * S_STRIDE;
    let crosses = 0;
    for (const ladder of this.ladderList) if (ladder.family === FAMILY.CROSS) crosses++;
    const hot = new Float64Array(this.crossOffset + crosses * C_STRIDE);
    hot.set(oldHot.subarray(0, BOOK_FIELDS.STRIDE));
    this.groupCount = groups;
    this.windowCount = windows;
    for (const g of this.groupList) {
      const o = GROUPS_AT + g.slot * G_STRIDE;
      hot[o + G_INVERT] = g.fx?.invert === true ? 1 : 0;
      hot[o + G_HASFX] = g.fx === undefined ? 0 : 1;
    }
    // no part holds until the next price builds them (relaidOut)
    for (let w = 0, p = this.partOffset; w < windows; w++, p += P_STRIDE) clearPart(hot, p);
    this.windowList.forEach((w, i) => {
      const o = this.windowOffset + w.slot * W_STRIDE;
      const old = oldSlots[i] as number;
      if (old >= 0) {
        const from = oldWindowOffset + old * W_STRIDE;
        hot.set(oldHot.subarray(from, from + W_STRIDE), o);
      } else {
        hot[o + W_MS] = w.ms;
        hot[o + W_OBS] = w.obs;
        hot[o + W_PTR] = -1;
        hot[o + W_VERSION] = -1;
        hot[o + W_RUNTIL] = -Infinity;
        hot[o + W_RFROM] = NaN;
        hot[o + W_BFROM] = NaN;
      }
    });
    hot.fill(NaN, this.srcOffset, this.sourceOffset);
    for (let s = 0; s < this.sourceCount; s++) {
      const o = this.sourceOffset + s * S_STRIDE;
      hot[o + S_SRC] = this.srcOffset + (s < groups ? 2 * s : s + groups);
      hot.fill(-1, o + S_MEMBER, o + S_MEMBER + S_MEMBERS);
    }
    this.hot = hot;
    this.relaidOut = true;
    this.unquiet();
    this.crossCount = 0;
    const d = this.l.data;
    for (const ladder of this.ladderList) {
      const o = ladder.slot * L_STRIDE;
      const w = ladder.window;
      const at =
        w === undefined
          ? this.srcOffset + 2 * ladder.group.slot
          : this.windowSrc(w.slot) + (ladder.pct ? 0 : 1 + ladder.group.slot);
      d[o + L_SRC] = at;
      if (ladder.family === FAMILY.CROSS) {
        const c = this.crossOffset + this.crossCount * C_STRIDE;
        d[o + L_SOURCE] = -2 - this.crossCount++;
        hot[c + C_SLOT] = ladder.slot;
        hot[c + C_SRC] = at;
        hot[c + C_XFORM] = ladder.direction;
        hot[c + C_ARMED_MIN] = d[o + L_ARMED_MIN] as number;
        hot[c + C_ARMED_MAX] = d[o + L_ARMED_MAX] as number;
        hot[c + C_DISARMED_MAX] = d[o + L_DISARMED_MAX] as number;
        continue;
      }
      const source = w === undefined ? ladder.group.slot : at - this.srcOffset - groups;
      d[o + L_SOURCE] = source;
      let k = this.sourceOffset + source * S_STRIDE + S_MEMBER;
      while (hot[k] !== -1) k++;
      hot[k] = ladder.slot;
    }
    for (let s = 0; s < this.sourceCount; s++) this.recomputeSource(s);
  }

  /** the quiet box no longer holds, nor do its parts: the next price is evaluated in full */
  unquiet(): void {
    this.slots.q[this.at + SLOT_FIELDS.QUIET_UNTIL_MS] = -Infinity;
    this.hot[BOOK_FIELDS.PARTS] = 0;
  }

  /**
   * The history dropped its front and moved its indices: the open reference
   * ranges (kept as indices) are read afresh; the box and its parts, all in
   * prices, times and counts, still hold.
   */
  historyMoved(): void {
    const hot = this.hot;
    for (let w = 0, o = this.windowOffset; w < this.windowCount; w++, o += W_STRIDE) {
      hot[o + W_RFROM] = NaN;
      hot[o + W_BFROM] = NaN;
    }
  }

  /**
   * A late price joined the history: every window can have a new reference,
   * so its range is read again and its part no longer holds, nor does the
   * box. The base part reads only the newest price, which did not change.
   */
  historyInserted(): void {
    const hot = this.hot;
    for (let w = 0, o = this.windowOffset; w < this.windowCount; w++, o += W_STRIDE) {
      hot[o + W_RUNTIL] = -Infinity;
      hot[o + W_RFROM] = NaN;
      hot[o + W_BFROM] = NaN;
      hot[this.partOffset + w * P_STRIDE + P_UNTIL_MS] = -Infinity;
    }
    this.slots.q[this.at + SLOT_FIELDS.QUIET_UNTIL_MS] = -Infinity;
  }

  /** copies a ladder's index bounds into its slot after its indexes changed */
  syncLadder(ladder: Ladder): void {
    this.unquiet();
    const o = ladder.slot * L_STRIDE;
    const d = this.l.data;
    d[o + L_ARMED_MIN] = ladder.armed.minKey();
    d[o + L_ARMED_MAX] = ladder.armed.maxKey();
    d[o + L_DISARMED_MAX] = ladder.disarmed.maxKey();
    const source = d[o + L_SOURCE] as number;
    if (source >= 0) {
      this.recomputeSource(source);
    } else {
      const c = this.crossOffset + (-2 - source) * C_STRIDE;
      this.hot[c + C_ARMED_MIN] = d[o + L_ARMED_MIN] as number;
      this.hot[c + C_ARMED_MAX] = d[o + L_ARMED_MAX] as number;
      this.hot[c + C_DISARMED_MAX] = d[o + L_DISARMED_MAX] as number;
    }
  }

  /**
   * The widest open interval around the source's last value inside which no
   * member ladder fires (x >= armed min) or re-arms (x < disarmed max).
   */
  recomputeSource(s: number): void {
    const hot = this.hot;
    const so = this.sourceOffset + s * S_STRIDE;
    const v = hot[hot[so + S_SRC] as number] as number;
    const d = this.l.data;
    let lo = -Infinity;
    let hi = Infinity;
    for (let k = so + S_MEMBER; k < so + S_MEMBER + S_MEMBERS; k++) {
      const slot = hot[k] as number;
      if (slot < 0) continue;
      const o = slot * L_STRIDE;
      const amin = d[o + L_ARMED_MIN] as number;
      const dmax = d[o + L_DISARMED_MAX] as number;
      const form = d[o + L_XFORM];
      if (form === 0) {
        lo = Math.max(lo, dmax);
        hi = Math.min(hi, amin);
      } else if (form === 1) {
        lo = Math.max(lo, -amin);
        hi = Math.min(hi, -dmax);
      } else {
        lo = Math.max(lo, -amin);
        hi = Math.min(hi, amin);
        if (dmax > 0) {
          if (v >= 0 || v !== v) lo = Math.max(lo, dmax);
          else hi = Math.min(hi, -dmax);
        }
      }
    }
    hot[so + S_LO] = lo;
    hot[so + S_HI] = hi;
  }
}
