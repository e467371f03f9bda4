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

export class PriceHistory {
  tsMs = new Float64Array(4);
  price = new Float64Array(4);
  ts: string[] = new Array<string>(4).fill("");
  source: string[] = new Array<string>(4).fill("");
  /** physical index of the oldest kept observation */
  head = 0;
  /** physical index after the newest */
  end = 0;
  /** set once something was dropped: the time from which all is kept */
  floorMs: number | null = null;
  /** bumps whenever physical indices shift: cached positions must be looked up again */
  version = 0;

  get length(): number {
    return this.end - this.head;
  }

  /** first physical index whose time is > t */
  upperBound(t: number): number {
    let lo = this.head;
    let hi = this.end;
    const a = this.tsMs;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((a[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** physical index of the latest observation at or before t, or -1 */
  atOrBefore(t: number): number {
    const i = this.upperBound(t) - 1;
    return i >= this.head ? i : -1;
  }

  /** physical index of the observation `n` before the newest, or -1 */
  back(n: number): number {
    const i = this.end - 1 - n;
    return i >= this.head ? i : -1;
  }

  private sameAs(i: number, price: number, source: string): boolean {
    return this.price[i] === price && this.source[i] === source;
  }

  /** Classifies a price and stores it unless it is a duplicate or beyond the kept history. */
  add(tsMs: number, price: number, ts: string, source: string): Arrival {
    const end = this.end;
    if (end === this.head || tsMs >= (this.tsMs[end - 1] as number)) {
      for (let i = end - 1; i >= this.head && this.tsMs[i] === tsMs; i--) {
        if (this.sameAs(i, price, source)) return ARRIVAL.DUPLICATE;
      }
      this.insertAt(end, tsMs, price, ts, source);
      return ARRIVAL.NEW;
    }
    if (this.floorMs !== null && tsMs < this.floorMs) return ARRIVAL.BEYOND_HISTORY;
    const pos = this.upperBound(tsMs);
    for (let i = pos - 1; i >= this.head && this.tsMs[i] === tsMs; i--) {
      if (this.sameAs(i, price, source)) return ARRIVAL.DUPLICATE;
    }
    this.insertAt(pos, tsMs, price, ts, source);
    this.version++;
    return ARRIVAL.LATE;
  }

  private insertAt(pos: number, tsMs: number, price: number, ts: string, source: string): void {
    if (this.end === this.tsMs.length) {
      const offset = this.head;
      this.makeRoom();
      pos -= offset - this.head;
    }
    if (pos < this.end) {
      this.tsMs.copyWithin(pos + 1, pos, this.end);
      this.price.copyWithin(pos + 1, pos, this.end);
      this.ts.copyWithin(pos + 1, pos, this.end);
      this.source.copyWithin(pos + 1, pos, this.end);
    }
    this.tsMs[pos] = tsMs;
    this.price[pos] = price;
    this.ts[pos] = ts;
    this.source[pos] = source;
    this.end++;
  }

  /** compacts to the front when more than half is free, else doubles */
  private makeRoom(): void {
    const n = this.end - this.head;
    const cap = this.tsMs.length;
    if (this.head > 0 && n <= cap >>> 1) {
      this.tsMs.copyWithin(0, this.head, this.end);
      this.price.copyWithin(0, this.head, this.end);
      this.ts.copyWithin(0, this.head, this.end);
      this.source.copyWithin(0, this.head, this.end);
      this.ts.fill("", n, cap);
      this.source.fill("", n, cap);
    } else {
      const next = cap * 2;
      const tsMs = new Float64Array(next);
      const price = new Float64Array(next);
      tsMs.set(this.tsMs.subarray(this.head, this.end));
      price.set(this.price.subarray(this.head, this.end));
      const ts = this.ts.slice(this.head, this.end);
      const source = this.source.slice(this.head, this.end);
      ts.length = next;
      source.length = next;
      ts.fill("", n);
      source.fill("", n);
      this.tsMs = tsMs;
      this.price = price;
      this.ts = ts;
      this.source = source;
    }
    this.head = 0;
    this.end = n;
    this.version++;
  }

  /** Drops what windows of up to `needMs` and `needObs` back can no longer reach (see the module comment). */
  prune(needMs: number, needObs: number): void {
    const head = this.head;
    const end = this.end;
    if (end - head <= 1) return;
    const newest = this.tsMs[end - 1] as number;
    let kw = this.upperBound(newest - needMs) - 1;
    if (kw < head) kw = head;
    let kn = end - 1 - needObs;
    if (kn < head) kn = head;
    let k = kw < kn ? kw : kn;
    while (k > head && this.tsMs[k - 1] === this.tsMs[k]) k--;
    if (k <= head) return;
    this.ts.fill("", head, k);
    this.source.fill("", head, k);
    this.head = k;
    this.floorMs = this.tsMs[k] as number;
  }

  /** loads observations (oldest first) into an empty history */
  load(tsMs: readonly number[], price: readonly number[], ts: readonly string[], source: readonly string[], floorMs: number | null): void {
    for (let i = 0; i < tsMs.length; i++) {
      this.insertAt(this.end, tsMs[i] as number, price[i] as number, ts[i] as string, source[i] as string);
    }
    this.floorMs = floorMs;
    this.version++;
  }

  toJSON(): { tsMs: number[]; price: number[]; ts: string[]; source: string[] } {
    return {
      tsMs: Array.from(this.tsMs.subarray(this.head, this.end)),
      price: Array.from(this.price.subarray(this.head, this.end)),
      ts: this.ts.slice(this.head, this.end),
      source: this.source.slice(this.head, this.end),
    };
  }
}
