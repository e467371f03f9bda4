/**
 * The observations of one instrument, sorted by time (ties in arrival order),
 * in typed arrays. It classifies each arriving price (new, older than the
 * latest, exact duplicate, older than everything kept) and keeps only what
 * the instrument's change windows can still reach:
 *
 * after each new price at time t, with W the longest duration window and N
 * the largest observation count among the instrument's active change rules,
 * everything before the latest observation at or before t - W and before the
 * N-th observation back is dropped (never splitting observations that share
 * a timestamp). Once something was dropped, every observation at or after
 * `floorMs` is kept, and an older late price can no longer be placed: it is
 * ignored. A change rule whose reference would lie before the floor waits
 * for history.
 */

import { BlockPool } from "./block-pool.js";
import { InstrumentSlots, SLOT_FIELDS } from "./instrument-slots.js";

export const ARRIVAL = { NEW: 0, LATE: 1, DUPLICATE: 2, BEYOND_HISTORY: 3 } as const;
export type Arrival = (typeof ARRIVAL)[keyof typeof ARRIVAL];

/**
 * How an observation's ts string is kept: rebuilt from its time (in one of
 * two ISO forms), or as given (in `odd`, at the code minus ODD).
 */
export const TS_CODE = { ISO_MS: 0, ISO_S: 1, ODD: 2 } as const;

const DAY_MS = 86_400_000;
/**
 * The day of the last ts checked, and the character codes of its ISO date
 * (YYYY and MM and DD; prices of one day share it). Kept in numbers, not an
 * array: each is compared with one character of every ts.
 */
let checkedDay = NaN;
let y0 = 0;
let y1 = 0;
let y2 = 0;
let y3 = 0;
let mo0 = 0;
let mo1 = 0;
let d0 = 0;
let d1 = 0;

const ZERO = 48;
const DASH = 45;
const T = 84;
const COLON = 58;
const DOT = 46;
const Z = 90;

/**
 * TS_CODE.ISO_MS when `ts` is exactly `new Date(tsMs).toISOString()`,
 * TS_CODE.ISO_S when it is that without ".000" (a whole second), else
 * TS_CODE.ODD (kept as given).
 * The date is compared with the day's ISO date and the time of day is read
 * digit by digit, all as character codes, each read once: no date is
 * formatted for a price, and this runs for every price.
 */
export function isoForm(ts: string, tsMs: number): number {
  const n = ts.length;
  if ((n !== 24 && n !== 20) || ts.charCodeAt(n - 1) !== Z) return TS_CODE.ODD;
  const day = Math.floor(tsMs / DAY_MS);
  if (day !== checkedDay) {
    if (!Number.isFinite(day)) return TS_CODE.ODD;
    const iso = new Date(day * DAY_MS).toISOString();
    // years outside 0000-9999 have a longer ISO form
    if (iso.length !== 24) return TS_CODE.ODD;
    y0 = iso.charCodeAt(0);
    y1 = iso.charCodeAt(1);
    y2 = iso.charCodeAt(2);
    y3 = iso.charCodeAt(3);
    mo0 = iso.charCodeAt(5);
    mo1 = iso.charCodeAt(6);
    d0 = iso.charCodeAt(8);
    d1 = iso.charCodeAt(9);
    checkedDay = day;
  }
  if (
    ts.charCodeAt(0) !== y0 ||
    ts.charCodeAt(1) !== y1 ||
    ts.charCodeAt(2) !== y2 ||
    ts.charCodeAt(3) !== y3 ||
    ts.charCodeAt(4) !== DASH ||
    ts.charCodeAt(5) !== mo0 ||
    ts.charCodeAt(6) !== mo1 ||
    ts.charCodeAt(7) !== DASH ||
    ts.charCodeAt(8) !== d0 ||
    ts.charCodeAt(9) !== d1 ||
    ts.charCodeAt(10) !== T ||
    ts.charCodeAt(13) !== COLON ||
    ts.charCodeAt(16) !== COLON
  )
    return TS_CODE.ODD;
  // each digit minus "0", compared unsigned: a character that is not a digit is above 9
  const h0 = ts.charCodeAt(11) - ZERO;
  const h1 = ts.charCodeAt(12) - ZERO;
  const mi0 = ts.charCodeAt(14) - ZERO;
  const mi1 = ts.charCodeAt(15) - ZERO;
  const s0 = ts.charCodeAt(17) - ZERO;
  const s1 = ts.charCodeAt(18) - ZERO;
  let ms = 0;
  if (n === 24) {
    const a = ts.charCodeAt(20) - ZERO;
    const b = ts.charCodeAt(21) - ZERO;
    const c = ts.charCodeAt(22) - ZERO;
    if (ts.charCodeAt(19) !== DOT || a >>> 0 > 9 || b >>> 0 > 9 || c >>> 0 > 9) return TS_CODE.ODD;
    ms = (a * 10 + b) * 10 + c;
  }
  if (h0 >>> 0 > 2 || h1 >>> 0 > 9 || mi0 >>> 0 > 5 || mi1 >>> 0 > 9 || s0 >>> 0 > 5 || s1 >>> 0 > 9)
    return TS_CODE.ODD;
  const h = h0 * 10 + h1;
  // hour 24 is accepted by Date.parse, never written by toISOString
  if (h > 23) return TS_CODE.ODD;
  if (((h * 60 + mi0 * 10 + mi1) * 60 + s0 * 10 + s1) * 1000 + ms !== tsMs - day * DAY_MS) return TS_CODE.ODD;
  return n === 24 ? TS_CODE.ISO_MS : TS_CODE.ISO_S;
}

/** the ts of time `ms` in ISO form `form` (TS_CODE.ISO_MS or TS_CODE.ISO_S) */
export function isoTs(ms: number, form: number): string {
  const iso = new Date(ms).toISOString();
  return form === TS_CODE.ISO_MS ? iso : `${iso.slice(0, 19)}Z`;
}

/**
 * An observation's ts as an alert states it: rebuilt from the observation's
 * time when it came in ISO form, on first read only (most alerts are decided,
 * not read, right away), or as it was given.
 */
export class ObservedTs {
  private text: string | undefined;

  constructor(
    private readonly ms: number,
    private readonly form: number,
    given: string | undefined,
  ) {
    this.text = given;
  }

  toString(): string {
    return (this.text ??= isoTs(this.ms, this.form));
  }
}

/** numbers per observation in `tp`: time, price, and where its source and ts are */
export const OBS = 3;
/** the third number of an observation is code * SOURCE_CODES + source index */
export const SOURCE_CODES = 2 ** 24;
const SOURCES = SOURCE_CODES;
const { HISTORY_POS: Q_POS, HISTORY_LIMIT: Q_LIMIT, HISTORY_SLAB: Q_SLAB, SOURCE_ID: Q_SOURCE_ID } = SLOT_FIELDS;
const { ODD: CODE_ODD } = TS_CODE;
/** room for 8 observations first; blocks up to 8 * 2^15 observations (6 MB) are cut from shared slabs */
const FIRST_BLOCK = 8 * OBS;
const blocks = new BlockPool(FIRST_BLOCK, 15);

/**
 * Observations in time order in one Float64Array, `OBS` numbers each: time,
 * price, and the source (an index into the instrument's few sources) with
 * how to get its ts string: rebuilt from the time when it is in ISO form (as
 * feeds send it), else kept in `odd` (arrival order). A price touches one
 * array, a late price shifts only it, and the history holds no string per
 * observation.
 *
 * Where the next observation goes (the end), the block's limit and slab and
 * the last source's index are kept in the instrument's slot (see
 * instrument-slots.ts), so that a quiet price appends without reading this
 * object (quiet-price.ts).
 */
export class PriceHistory {
  /** time, price and info of observation i at OBS * i, OBS * i + 1 and OBS * i + 2 */
  tp: Float64Array = blocks.take(0);
  /** where tp starts in its slab */
  private base = 0;
  /** ts strings not in ISO form, in arrival order ("" once dropped) */
  odd: string[] = [];
  /** odd strings still in use */
  private oddLive = 0;
  /** the instrument's distinct sources */
  readonly sources: string[] = [];
  private readonly sourceIds = new Map<string, number>();
  /** index of the oldest kept observation */
  head = 0;
  /** once something was dropped, the time from which all is kept (-Infinity before: a number, so setting it allocates nothing) */
  private floor = -Infinity;
  /** bumps when the whole history is replaced: cached positions must be looked up again */
  version = 0;
  /** what the last add did to indices: positions dropped from the front (compaction) */
  dropped = 0;
  /** ... and where it inserted a late observation (after the drop), -1 when it only appended or kept nothing */
  insertedAt = -1;
  /** TS_CODE form (ISO_MS, ISO_S or ODD) of the ts of the observation the last add stored */
  addedForm: number = TS_CODE.ISO_MS;
  /**
   * time of the second oldest observation (Infinity if none): pruning can drop
   * nothing before it is reached; NaN when not known (read on the next prune)
   */
  private secondMs = NaN;
  private readonly slots: InstrumentSlots;
  private readonly slot: number;
  /** where the slot's numbers start in slots.q */
  private readonly at: number;

  /** a history whose end and last source are kept in `slot` of `slots` (a slot of its own without them) */
  constructor(slots?: InstrumentSlots, slot?: number) {
    this.slots = slots ?? new InstrumentSlots();
    this.slot = slot ?? this.slots.add("", "");
    this.at = this.slot * SLOT_FIELDS.STRIDE;
    this.slots.q[this.at + Q_POS] = 0;
    this.useBlock(this.tp, 0);
  }

  /** index after the newest */
  get end(): number {
    return ((this.slots.q[this.at + Q_POS] as number) - this.base) / OBS;
  }
  set end(v: number) {
    this.slots.q[this.at + Q_POS] = this.base + OBS * v;
  }

  /** makes `tp` the block holding the observations, `end` of them */
  private useBlock(tp: Float64Array, end: number): void {
    this.tp = tp;
    this.base = tp.byteOffset / Float64Array.BYTES_PER_ELEMENT;
    const q = this.slots.q;
    q[this.at + Q_SLAB] = this.slots.slabOf(tp);
    q[this.at + Q_LIMIT] = this.base + tp.length;
    this.end = end;
  }

  /** set once something was dropped: the time from which all is kept */
  get floorMs(): number | null {
    return this.floor === -Infinity ? null : this.floor;
  }

  get length(): number {
    return this.end - this.head;
  }

  timeAt(i: number): number {
    return this.tp[OBS * i] as number;
  }

  priceAt(i: number): number {
    return this.tp[OBS * i + 1] as number;
  }

  tsAt(i: number): string {
    const code = Math.floor((this.tp[OBS * i + 2] as number) / SOURCES);
    if (code >= CODE_ODD) return this.odd[code - CODE_ODD] as string;
    return isoTs(this.tp[OBS * i] as number, code);
  }

  /** the ts of observation i, to be rebuilt only if it is read (see ObservedTs) */
  observedTsAt(i: number): ObservedTs {
    const code = Math.floor((this.tp[OBS * i + 2] as number) / SOURCES);
    return new ObservedTs(this.tp[OBS * i] as number, code, code >= CODE_ODD ? this.odd[code - CODE_ODD] : undefined);
  }

  sourceAt(i: number): string {
    return this.sources[(this.tp[OBS * i + 2] as number) % SOURCES] as string;
  }

  /** the index of a source, added on first sight */
  private sourceId(source: string): number {
    const slot = this.slot;
    if (source === this.slots.sources[slot]) return this.slots.q[this.at + Q_SOURCE_ID] as number;
    let id = this.sourceIds.get(source);
    if (id === undefined) {
      if (this.sources.length === SOURCES) throw new RangeError(`more than ${SOURCES} sources for one instrument`);
      id = this.sources.length;
      this.sources.push(source);
      this.sourceIds.set(source, id);
    }
    this.slots.q[this.at + Q_SOURCE_ID] = id;
    this.slots.sources[slot] = source;
    return id;
  }

  /** first index whose time is > t */
  upperBound(t: number): number {
    let lo = this.head;
    let hi = this.end;
    const a = this.tp;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((a[OBS * mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** index of the latest observation at or before t, or -1 */
  atOrBefore(t: number): number {
    const i = this.upperBound(t) - 1;
    return i >= this.head ? i : -1;
  }

  /** index of the observation `n` before the newest, or -1 */
  back(n: number): number {
    const i = this.end - 1 - n;
    return i >= this.head ? i : -1;
  }

  private duplicateBefore(pos: number, tsMs: number, price: number, sourceId: number): boolean {
    const tp = this.tp;
    for (let i = pos - 1; i >= this.head && tp[OBS * i] === tsMs; i--) {
      if (tp[OBS * i + 1] === price && (tp[OBS * i + 2] as number) % SOURCES === sourceId) return true;
    }
    return false;
  }

  /** Classifies a price and stores it unless it is a duplicate or beyond the kept history. */
  add(tsMs: number, price: number, ts: string, source: string): Arrival {
    this.dropped = 0;
    this.insertedAt = -1;
    const end = this.end;
    const sid = this.sourceId(source);
    const last = OBS * (end - 1);
    if (end === this.head || tsMs >= (this.tp[last] as number)) {
      if (end > this.head && this.tp[last] === tsMs && this.duplicateBefore(end, tsMs, price, sid))
        return ARRIVAL.DUPLICATE;
      this.insertAt(end, tsMs, price, ts, sid);
      return ARRIVAL.NEW;
    }
    if (tsMs < this.floor) return ARRIVAL.BEYOND_HISTORY;
    const pos = this.upperBound(tsMs);
    if (this.duplicateBefore(pos, tsMs, price, sid)) return ARRIVAL.DUPLICATE;
    this.insertedAt = this.insertAt(pos, tsMs, price, ts, sid);
    return ARRIVAL.LATE;
  }

  /** inserts at pos and returns where the observation went (compaction may move it) */
  private insertAt(pos: number, tsMs: number, price: number, ts: string, sourceId: number): number {
    if (OBS * this.end === this.tp.length) {
      const offset = this.head;
      this.makeRoom();
      this.dropped = offset;
      pos -= offset;
    }
    const tp = this.tp;
    if (pos < this.end) tp.copyWithin(OBS * pos + OBS, OBS * pos, OBS * this.end);
    let code: number = isoForm(ts, tsMs);
    this.addedForm = code;
    if (code === CODE_ODD) {
      code += this.odd.length;
      this.odd.push(ts);
      this.oddLive++;
    }
    tp[OBS * pos] = tsMs;
    tp[OBS * pos + 1] = price;
    tp[OBS * pos + 2] = code * SOURCES + sourceId;
    this.end++;
    if (pos <= this.head + 1) this.secondMs = NaN;
    return pos;
  }

  /**
   * Compacts to the front when at most half of the block is in use, else
   * doubles (the old block goes back to the pool). A history that keeps a
   * sliding span then holds a block of two to four times the span, and a
   * compaction moves at most as many observations as were appended since
   * the last one; compacting only at a quarter would let the block grow to
   * eight times the span, each new page of it a page fault. The odd ts
   * strings are rewritten in time order only once most of them were
   * dropped.
   */
  private makeRoom(): void {
    const end = this.end;
    const n = end - this.head;
    const cap = this.tp.length / OBS;
    if (this.head > 0 && 2 * n <= cap) {
      this.tp.copyWithin(0, OBS * this.head, OBS * end);
      this.end = n;
    } else {
      const tp = blocks.take(blocks.classOf(cap * 2 * OBS));
      tp.set(this.tp.subarray(OBS * this.head, OBS * end));
      blocks.give(this.tp);
      this.useBlock(tp, n);
    }
    this.head = 0;
    if (this.odd.length > 2 * this.oddLive + 64) {
      const odd: string[] = [];
      const tp = this.tp;
      for (let i = 0; i < n; i++) {
        const info = tp[OBS * i + 2] as number;
        const code = Math.floor(info / SOURCES);
        if (code < CODE_ODD) continue;
        tp[OBS * i + 2] = (CODE_ODD + odd.length) * SOURCES + (info % SOURCES);
        odd.push(this.odd[code - CODE_ODD] as string);
      }
      this.odd = odd;
    }
  }

  /** Drops what windows of up to `needMs` and `needObs` back can no longer reach (see the module comment). */
  prune(needMs: number, needObs: number): void {
    const head = this.head;
    const end = this.end;
    const tp = this.tp;
    const target = (tp[OBS * (end - 1)] as number) - needMs;
    if (end - 1 - needObs <= head) return;
    // at least two observations: the second oldest is read once and kept until the front moves
    if (this.secondMs !== this.secondMs) this.secondMs = tp[OBS * head + OBS] as number;
    if (this.secondMs > target) return;
    const kn = end - 1 - needObs;
    let k = head;
    while (k < kn && (tp[OBS * k + OBS] as number) <= target) k++;
    while (k > head && tp[OBS * k - OBS] === tp[OBS * k]) k--;
    if (k <= head) return;
    if (this.oddLive > 0) {
      for (let i = head; i < k; i++) {
        const code = Math.floor((tp[OBS * i + 2] as number) / SOURCES);
        if (code < CODE_ODD) continue;
        this.odd[code - CODE_ODD] = "";
        this.oddLive--;
      }
    }
    this.head = k;
    this.floor = tp[OBS * k] as number;
    // the loop above has just read it: kept now, where the next prune would read it again from memory gone cold
    this.secondMs = k + 1 < end ? (tp[OBS * k + OBS] as number) : NaN;
  }

  /** loads observations (oldest first) into an empty history */
  load(
    tsMs: readonly number[],
    price: readonly number[],
    ts: readonly string[],
    source: readonly string[],
    floorMs: number | null,
  ): void {
    for (let i = 0; i < tsMs.length; i++) {
      const sid = this.sourceId(source[i] as string);
      this.insertAt(this.end, tsMs[i] as number, price[i] as number, ts[i] as string, sid);
    }
    this.floor = floorMs ?? -Infinity;
    this.version++;
  }

  toJSON(): { tsMs: number[]; price: number[]; ts: string[]; source: string[] } {
    const out = { tsMs: [] as number[], price: [] as number[], ts: [] as string[], source: [] as string[] };
    for (let i = this.head; i < this.end; i++) {
      out.tsMs.push(this.tp[OBS * i] as number);
      out.price.push(this.tp[OBS * i + 1] as number);
      out.ts.push(this.tsAt(i));
      out.source.push(this.sourceAt(i));
    }
    return out;
  }
}
