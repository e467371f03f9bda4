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

export const ARRIVAL = { NEW: 0, LATE: 1, DUPLICATE: 2, BEYOND_HISTORY: 3 } as const;
export type Arrival = (typeof ARRIVAL)[keyof typeof ARRIVAL];

/**
 * Observations in time order: [time, price] numbers interleaved in `tp`, and
 * for each the slot of its [ts, source] strings in `meta`, which is kept in
 * arrival order. A late price then shifts only typed arrays (a memmove),
 * never an array of strings.
 */
export class PriceHistory {
  /** time and price of observation i at 2i and 2i + 1 */
  tp = new Float64Array(16);
  /** the meta slot of observation i */
  slot = new Int32Array(8);
  /** ts and source of meta slot k at 2k and 2k + 1, in arrival order */
  meta: string[] = [];
  /** index of the oldest kept observation */
  head = 0;
  /** index after the newest */
  end = 0;
  /** set once something was dropped: the time from which all is kept */
  floorMs: number | null = null;
  /** bumps when the whole history is replaced: cached positions must be looked up again */
  version = 0;
  /** what the last add did to indices: positions dropped from the front (compaction) */
  dropped = 0;
  /** ... and where it inserted a late observation (after the drop), -1 when it only appended or kept nothing */
  insertedAt = -1;
  /** time of the second oldest observation (Infinity if none): pruning can drop nothing before it is reached */
  private secondMs = Infinity;

  get length(): number {
    return this.end - this.head;
  }

  timeAt(i: number): number {
    return this.tp[2 * i] as number;
  }

  priceAt(i: number): number {
    return this.tp[2 * i + 1] as number;
  }

  tsAt(i: number): string {
    return this.meta[2 * (this.slot[i] as number)] as string;
  }

  sourceAt(i: number): string {
    return this.meta[2 * (this.slot[i] as number) + 1] as string;
  }

  /** first index whose time is > t */
  upperBound(t: number): number {
    let lo = this.head;
    let hi = this.end;
    const a = this.tp;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((a[2 * mid] as number) <= t) lo = mid + 1;
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

  private duplicateBefore(pos: number, tsMs: number, price: number, source: string): boolean {
    const tp = this.tp;
    for (let i = pos - 1; i >= this.head && tp[2 * i] === tsMs; i--) {
      if (tp[2 * i + 1] === price && this.sourceAt(i) === source) return true;
    }
    return false;
  }

  /** Classifies a price and stores it unless it is a duplicate or beyond the kept history. */
  add(tsMs: number, price: number, ts: string, source: string): Arrival {
    this.dropped = 0;
    this.insertedAt = -1;
    const end = this.end;
    if (end === this.head || tsMs >= (this.tp[2 * end - 2] as number)) {
      if (end > this.head && this.tp[2 * end - 2] === tsMs && this.duplicateBefore(end, tsMs, price, source))
        return ARRIVAL.DUPLICATE;
      this.insertAt(end, tsMs, price, ts, source);
      return ARRIVAL.NEW;
    }
    if (this.floorMs !== null && tsMs < this.floorMs) return ARRIVAL.BEYOND_HISTORY;
    const pos = this.upperBound(tsMs);
    if (this.duplicateBefore(pos, tsMs, price, source)) return ARRIVAL.DUPLICATE;
    this.insertedAt = this.insertAt(pos, tsMs, price, ts, source);
    return ARRIVAL.LATE;
  }

  /** inserts at pos and returns where the observation went (compaction may move it) */
  private insertAt(pos: number, tsMs: number, price: number, ts: string, source: string): number {
    if (2 * this.end === this.tp.length) {
      const offset = this.head;
      this.makeRoom();
      this.dropped = offset;
      pos -= offset;
    }
    if (pos < this.end) {
      this.tp.copyWithin(2 * pos + 2, 2 * pos, 2 * this.end);
      this.slot.copyWithin(pos + 1, pos, this.end);
    }
    this.tp[2 * pos] = tsMs;
    this.tp[2 * pos + 1] = price;
    this.slot[pos] = this.meta.length >>> 1;
    this.meta.push(ts, source);
    this.end++;
    if (pos <= this.head + 1)
      this.secondMs = this.end - this.head > 1 ? (this.tp[2 * this.head + 2] as number) : Infinity;
    return pos;
  }

  /**
   * Compacts to the front when more than half is free, else doubles. Meta is
   * rewritten in time order only once most of it is dropped observations, so
   * a compaction mostly moves typed arrays.
   */
  private makeRoom(): void {
    const n = this.end - this.head;
    const cap = this.tp.length;
    if (this.head > 0 && 2 * n <= cap >>> 1) {
      this.tp.copyWithin(0, 2 * this.head, 2 * this.end);
      this.slot.copyWithin(0, this.head, this.end);
    } else {
      const tp = new Float64Array(cap * 2);
      tp.set(this.tp.subarray(2 * this.head, 2 * this.end));
      this.tp = tp;
      const slot = new Int32Array(cap);
      slot.set(this.slot.subarray(this.head, this.end));
      this.slot = slot;
    }
    this.head = 0;
    this.end = n;
    if (this.meta.length > 8 * n + 64) {
      const meta: string[] = [];
      for (let i = 0; i < n; i++) {
        const k = 2 * (this.slot[i] as number);
        meta.push(this.meta[k] as string, this.meta[k + 1] as string);
        this.slot[i] = i;
      }
      this.meta = meta;
    }
  }

  /** Drops what windows of up to `needMs` and `needObs` back can no longer reach (see the module comment). */
  prune(needMs: number, needObs: number): void {
    const head = this.head;
    const end = this.end;
    const tp = this.tp;
    const target = (tp[2 * end - 2] as number) - needMs;
    if (end - 1 - needObs <= head || this.secondMs > target) return;
    const kn = end - 1 - needObs;
    let k = head;
    while (k < kn && (tp[2 * k + 2] as number) <= target) k++;
    while (k > head && tp[2 * k - 2] === tp[2 * k]) k--;
    if (k <= head) return;
    for (let i = head; i < k; i++) {
      const m = 2 * (this.slot[i] as number);
      this.meta[m] = "";
      this.meta[m + 1] = "";
    }
    this.head = k;
    this.floorMs = tp[2 * k] as number;
    this.secondMs = end - k > 1 ? (tp[2 * k + 2] as number) : Infinity;
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
      this.insertAt(this.end, tsMs[i] as number, price[i] as number, ts[i] as string, source[i] as string);
    }
    this.floorMs = floorMs;
    this.version++;
  }

  toJSON(): { tsMs: number[]; price: number[]; ts: string[]; source: string[] } {
    const out = { tsMs: [] as number[], price: [] as number[], ts: [] as string[], source: [] as string[] };
    for (let i = this.head; i < this.end; i++) {
      out.tsMs.push(this.tp[2 * i] as number);
      out.price.push(this.tp[2 * i + 1] as number);
      out.ts.push(this.tsAt(i));
      out.source.push(this.sourceAt(i));
    }
    return out;
  }
}
