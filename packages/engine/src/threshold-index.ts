/**
 * A sorted multiset of (key, handle) pairs in typed-array chunks (at most 512
 * entries each, grown on demand): insert and remove in O(log n), the smallest
 * and largest key in O(1), and removal of a key range in time proportional to
 * what it removes. Ties on the key are ordered by handle, so an entry is found
 * by binary search even when thousands of rules share a round threshold.
 *
 * Inserts first go to a small unsorted buffer (64 entries) that every query
 * also reads, and are placed in the chunks when it fills: a price that re-arms
 * a few dozen rules costs a few dozen appends, and a rule that leaves again
 * soon (fired, then re-armed) is never placed at all.
 *
 * The storage of a chunk that empties or grows goes back to a pool shared by
 * every index and is reused: an index that a move empties and the next move
 * refills (rules fired, then re-armed) allocates nothing.
 */

import type { HandleList } from "./handle-list.js";

const MAX_CHUNK = 512;
/** entries appended unsorted before they are placed in the chunks */
const PENDING = 64;
const FIRST_CAPACITY = 4;
/** capacities are FIRST_CAPACITY * 2^c up to MAX_CHUNK: one pool per class c */
const CLASSES = Math.log2(MAX_CHUNK / FIRST_CAPACITY) + 1;
/** entries the pool holds at most, over all classes (12 bytes each) */
const POOL_ENTRIES = 1 << 20;

/** Chunk storage not in use, by capacity class. */
const pool = {
  keys: Array.from({ length: CLASSES }, () => [] as Float64Array[]),
  handles: Array.from({ length: CLASSES }, () => [] as Int32Array[]),
  entries: 0,
};

/** whether (ka, ha) sorts before (kb, hb): by key, then by handle */
function before(ka: number, ha: number, kb: number, hb: number): boolean {
  return ka < kb || (ka === kb && ha < hb);
}

function classOf(capacity: number): number {
  return 31 - Math.clz32(capacity / FIRST_CAPACITY);
}

function takeKeys(capacity: number): Float64Array {
  const k = pool.keys[classOf(capacity)]?.pop();
  if (k === undefined) return new Float64Array(capacity);
  pool.entries -= capacity;
  return k;
}

function takeHandles(capacity: number): Int32Array {
  return pool.handles[classOf(capacity)]?.pop() ?? new Int32Array(capacity);
}

/** gives a chunk's storage back, unless the pool is full */
function release(keys: Float64Array, handles: Int32Array): void {
  const capacity = keys.length;
  if (pool.entries + capacity > POOL_ENTRIES) return;
  const c = classOf(capacity);
  pool.keys[c]?.push(keys);
  pool.handles[c]?.push(handles);
  pool.entries += capacity;
}

/** scratch for sortPending: the other side of each merge pass, and where the runs start */
const sk = new Float64Array(PENDING);
const sh = new Int32Array(PENDING);
const runs = new Int32Array(PENDING + 1);

/** merges the sorted runs [a, m) and [m, b) of (fk, fh) into [a, b) of (tk, th) */
function mergeRuns(
  fk: Float64Array,
  fh: Int32Array,
  tk: Float64Array,
  th: Int32Array,
  a: number,
  m: number,
  b: number,
): void {
  let i = a;
  let j = m;
  let w = a;
  while (i < m && j < b) {
    if (before(fk[j] as number, fh[j] as number, fk[i] as number, fh[i] as number)) {
      tk[w] = fk[j] as number;
      th[w++] = fh[j++] as number;
    } else {
      tk[w] = fk[i] as number;
      th[w++] = fh[i++] as number;
    }
  }
  for (; i < m; i++, w++) {
    tk[w] = fk[i] as number;
    th[w] = fh[i] as number;
  }
  for (; j < b; j++, w++) {
    tk[w] = fk[j] as number;
    th[w] = fh[j] as number;
  }
}

/**
 * Sorts the first n pending entries by (key, handle). They come as a few
 * ascending runs (a price re-arms a ladder's rules chunk by chunk, each in
 * order), which are merged pairwise until one is left: O(n log runs), where
 * an insertion sort costs O(n^2) on runs that come in descending order.
 */
function sortPending(pk: Float64Array, ph: Int32Array, n: number): void {
  let r = 0;
  runs[r++] = 0;
  for (let i = 1; i < n; i++)
    if (before(pk[i] as number, ph[i] as number, pk[i - 1] as number, ph[i - 1] as number)) runs[r++] = i;
  runs[r] = n;
  let fk: Float64Array = pk;
  let fh: Int32Array = ph;
  let tk: Float64Array = sk;
  let th: Int32Array = sh;
  while (r > 1) {
    let merged = 0;
    for (let p = 0; p < r; p += 2) {
      const a = runs[p] as number;
      const m = runs[p + 1] as number;
      const b = p + 2 <= r ? (runs[p + 2] as number) : m;
      // runs[merged] is written after runs[p..p+2] are read, and merged <= p
      runs[merged++] = a;
      mergeRuns(fk, fh, tk, th, a, m, b);
    }
    runs[merged] = n;
    r = merged;
    const k = fk;
    const h = fh;
    fk = tk;
    fh = th;
    tk = k;
    th = h;
  }
  if (fk !== pk) {
    pk.set(fk.subarray(0, n));
    ph.set(fh.subarray(0, n));
  }
}

class Chunk {
  keys: Float64Array;
  handles: Int32Array;
  n = 0;
  constructor(capacity: number) {
    this.keys = takeKeys(capacity);
    this.handles = takeHandles(capacity);
  }
  grow(capacity: number): void {
    const keys = takeKeys(capacity);
    const handles = takeHandles(capacity);
    keys.set(this.keys.subarray(0, this.n));
    handles.set(this.handles.subarray(0, this.n));
    release(this.keys, this.handles);
    this.keys = keys;
    this.handles = handles;
  }
  /** gives the storage back; the chunk is not used again */
  free(): void {
    release(this.keys, this.handles);
  }
  /** first position whose entry is >= (key, handle) */
  lowerBound(key: number, handle: number): number {
    let lo = 0;
    let hi = this.n;
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(keys[mid] as number, this.handles[mid] as number, key, handle)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** first position whose key is > key */
  upperBoundKey(key: number): number {
    let lo = 0;
    let hi = this.n;
    const keys = this.keys;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** moves entries [from, to) into out and closes the gap */
  cut(from: number, to: number, out: HandleList): void {
    const handles = this.handles;
    out.append(handles, from, to);
    if (to < this.n) {
      this.keys.copyWithin(from, to, this.n);
      handles.copyWithin(from, to, this.n);
    }
    this.n -= to - from;
  }
}

export class ThresholdIndex {
  private chunks: Chunk[] = [];
  /**
   * Up to PENDING entries not yet placed, in arrival order: an insert is an
   * append, and placing them is paid when the buffer fills (one price that
   * re-arms a few dozen rules then costs a few dozen appends). Every query
   * also looks here.
   */
  private readonly pk = new Float64Array(PENDING);
  private readonly ph = new Int32Array(PENDING);
  private pn = 0;
  private pMin = Infinity;
  private pMax = -Infinity;
  /** last key and handle of each chunk, searched without touching the chunks */
  private lastKeys: number[] = [];
  private lastHandles: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** smallest key, Infinity when empty */
  minKey(): number {
    const c = this.chunks[0];
    const k = c === undefined ? Infinity : (c.keys[0] as number);
    return k < this.pMin ? k : this.pMin;
  }

  /** largest key, -Infinity when empty */
  maxKey(): number {
    const n = this.lastKeys.length;
    const k = n === 0 ? -Infinity : (this.lastKeys[n - 1] as number);
    return k > this.pMax ? k : this.pMax;
  }

  /**
   * Places the pending entries in the chunks: sorted (see sortPending),
   * then merged into each chunk they fall in with one pass over the chunk,
   * instead of one shift of it per entry.
   */
  private settle(): void {
    const n = this.pn;
    this.pn = 0;
    this.pMin = Infinity;
    this.pMax = -Infinity;
    const pk = this.pk;
    const ph = this.ph;
    sortPending(pk, ph, n);
    let i = 0;
    while (i < n) {
      const chunks = this.chunks;
      let ci = chunks.length === 0 ? -1 : this.chunkFor(pk[i] as number, ph[i] as number);
      if (ci === chunks.length) ci--;
      // the run of entries that go to chunk ci: up to its last entry, or all that are left for the last chunk
      let j = i + 1;
      if (ci >= 0 && ci < chunks.length - 1) {
        const lk = this.lastKeys[ci] as number;
        const lh = this.lastHandles[ci] as number;
        while (j < n && !before(lk, lh, pk[j] as number, ph[j] as number)) j++;
      } else if (ci >= 0) {
        j = n;
      }
      const c = ci >= 0 ? (chunks[ci] as Chunk) : undefined;
      if (c === undefined || c.n + (j - i) > MAX_CHUNK) {
        for (let q = i; q < j; q++) this.place(pk[q] as number, ph[q] as number);
      } else {
        this.merge(ci, c, i, j);
      }
      i = j;
    }
  }

  /** merges pending entries [from, to) (sorted, all belonging to chunk ci) into it, in one pass from the back */
  private merge(ci: number, c: Chunk, from: number, to: number): void {
    const need = c.n + (to - from);
    if (need > c.keys.length) {
      let cap = c.keys.length;
      while (cap < need) cap *= 2;
      c.grow(Math.min(cap, MAX_CHUNK));
    }
    const keys = c.keys;
    const handles = c.handles;
    const pk = this.pk;
    const ph = this.ph;
    let a = c.n - 1;
    let b = to - 1;
    for (let w = need - 1; b >= from; w--) {
      if (a >= 0 && before(pk[b] as number, ph[b] as number, keys[a] as number, handles[a] as number)) {
        keys[w] = keys[a] as number;
        handles[w] = handles[a] as number;
        a--;
      } else {
        keys[w] = pk[b] as number;
        handles[w] = ph[b] as number;
        b--;
      }
    }
    c.n = need;
    this.refresh(ci);
  }

  /** recomputes the pending bounds after entries left the buffer */
  private pendingBounds(): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < this.pn; i++) {
      const k = this.pk[i] as number;
      if (k < lo) lo = k;
      if (k > hi) hi = k;
    }
    this.pMin = lo;
    this.pMax = hi;
  }

  /** moves the pending entries whose key satisfies lo < key <= hi to out */
  private takePending(lo: number, hi: number, out: HandleList): void {
    if (this.pn === 0 || !(this.pMax > lo && this.pMin <= hi)) return;
    const pk = this.pk;
    const ph = this.ph;
    let keep = 0;
    for (let i = 0; i < this.pn; i++) {
      const k = pk[i] as number;
      if (k > lo && k <= hi) {
        out.push(ph[i] as number);
      } else {
        pk[keep] = k;
        ph[keep] = ph[i] as number;
        keep++;
      }
    }
    this.count -= this.pn - keep;
    this.pn = keep;
    this.pendingBounds();
  }

  /** re-reads chunk ci's last entry after it changed */
  private refresh(ci: number): void {
    const c = this.chunks[ci] as Chunk;
    this.lastKeys[ci] = c.keys[c.n - 1] as number;
    this.lastHandles[ci] = c.handles[c.n - 1] as number;
  }

  private insertChunk(at: number, c: Chunk): void {
    this.chunks.splice(at, 0, c);
    this.lastKeys.splice(at, 0, c.keys[c.n - 1] as number);
    this.lastHandles.splice(at, 0, c.handles[c.n - 1] as number);
  }

  /** drops chunks [at, at + count), their storage back to the pool */
  private removeChunks(at: number, count: number): void {
    const chunks = this.chunks;
    for (let i = at; i < at + count; i++) (chunks[i] as Chunk).free();
    chunks.splice(at, count);
    this.lastKeys.splice(at, count);
    this.lastHandles.splice(at, count);
  }

  /** index of the first chunk whose last entry is >= (key, handle), or the chunk count */
  private chunkFor(key: number, handle: number): number {
    const keys = this.lastKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(keys[mid] as number, this.lastHandles[mid] as number, key, handle)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** index of the first chunk whose last key is > key, or the chunk count */
  private chunkAboveKey(key: number): number {
    const keys = this.lastKeys;
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((keys[mid] as number) <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: number, handle: number): void {
    if (this.pn === PENDING) this.settle();
    this.pk[this.pn] = key;
    this.ph[this.pn] = handle;
    this.pn++;
    if (key < this.pMin) this.pMin = key;
    if (key > this.pMax) this.pMax = key;
    this.count++;
  }

  /** puts one entry in its chunk (the entry is already counted) */
  private place(key: number, handle: number): void {
    const chunks = this.chunks;
    if (chunks.length === 0) {
      const c = new Chunk(FIRST_CAPACITY);
      c.keys[0] = key;
      c.handles[0] = handle;
      c.n = 1;
      this.insertChunk(0, c);
      return;
    }
    let ci = this.chunkFor(key, handle);
    if (ci === chunks.length) ci--;
    let c = chunks[ci] as Chunk;
    let pos = c.lowerBound(key, handle);
    if (c.n === MAX_CHUNK && pos === c.n && ci === chunks.length - 1) {
      // past the end of a full last chunk (entries coming in order): a new chunk, not two half-full ones
      const next = new Chunk(FIRST_CAPACITY);
      next.keys[0] = key;
      next.handles[0] = handle;
      next.n = 1;
      this.insertChunk(ci + 1, next);
      return;
    }
    if (c.n === c.keys.length) {
      if (c.n < MAX_CHUNK) {
        c.grow(Math.min(MAX_CHUNK, c.n * 2));
      } else {
        const half = c.n >>> 1;
        const right = new Chunk(MAX_CHUNK);
        right.keys.set(c.keys.subarray(half, c.n));
        right.handles.set(c.handles.subarray(half, c.n));
        right.n = c.n - half;
        c.n = half;
        this.refresh(ci);
        this.insertChunk(ci + 1, right);
        if (pos > half) {
          c = right;
          pos -= half;
          ci++;
        }
      }
    }
    if (pos < c.n) {
      c.keys.copyWithin(pos + 1, pos, c.n);
      c.handles.copyWithin(pos + 1, pos, c.n);
    }
    c.keys[pos] = key;
    c.handles[pos] = handle;
    c.n++;
    if (pos === c.n - 1) this.refresh(ci);
  }

  /** removes one entry; false when it is not there */
  remove(key: number, handle: number): boolean {
    const pn = key >= this.pMin && key <= this.pMax ? this.pn : 0;
    for (let i = 0; i < pn; i++) {
      if (this.ph[i] !== handle || this.pk[i] !== key) continue;
      this.pn--;
      this.pk[i] = this.pk[this.pn] as number;
      this.ph[i] = this.ph[this.pn] as number;
      this.count--;
      this.pendingBounds();
      return true;
    }
    const ci = this.chunkFor(key, handle);
    const c = this.chunks[ci];
    if (c === undefined) return false;
    const pos = c.lowerBound(key, handle);
    if (pos >= c.n || c.keys[pos] !== key || c.handles[pos] !== handle) return false;
    if (pos < c.n - 1) {
      c.keys.copyWithin(pos, pos + 1, c.n);
      c.handles.copyWithin(pos, pos + 1, c.n);
    }
    c.n--;
    this.count--;
    this.tidy(ci);
    return true;
  }

  /** drops an empty chunk, or merges a small one with its right neighbour; refreshes its last entry */
  private tidy(ci: number): void {
    const chunks = this.chunks;
    const c = chunks[ci] as Chunk;
    if (c.n === 0) {
      this.removeChunks(ci, 1);
      return;
    }
    const next = chunks[ci + 1];
    if (next !== undefined && c.n + next.n <= MAX_CHUNK >>> 1) {
      if (c.keys.length < c.n + next.n) c.grow(MAX_CHUNK);
      c.keys.set(next.keys.subarray(0, next.n), c.n);
      c.handles.set(next.handles.subarray(0, next.n), c.n);
      c.n += next.n;
      this.removeChunks(ci + 1, 1);
    }
    this.refresh(ci);
  }

  /** removes every entry with key <= x, appending their handles to out (the buffered ones first, then in key order) */
  takeUpTo(x: number, out: HandleList): void {
    this.takePending(-Infinity, x, out);
    const chunks = this.chunks;
    let whole = 0;
    while (whole < chunks.length) {
      const c = chunks[whole] as Chunk;
      if ((c.keys[c.n - 1] as number) > x) {
        const p = c.upperBoundKey(x);
        if (p > 0) {
          c.cut(0, p, out);
          this.count -= p;
        }
        break;
      }
      out.append(c.handles, 0, c.n);
      this.count -= c.n;
      whole++;
    }
    if (whole > 0) this.removeChunks(0, whole);
  }

  /** removes every entry with key > x, appending their handles to out */
  takeAbove(x: number, out: HandleList): void {
    this.takePending(x, Infinity, out);
    const chunks = this.chunks;
    let keep = chunks.length;
    while (keep > 0) {
      const c = chunks[keep - 1] as Chunk;
      if ((c.keys[0] as number) <= x) {
        const p = c.upperBoundKey(x);
        if (p < c.n) {
          this.count -= c.n - p;
          c.cut(p, c.n, out);
          this.refresh(keep - 1);
        }
        break;
      }
      out.append(c.handles, 0, c.n);
      this.count -= c.n;
      keep--;
    }
    if (keep < chunks.length) this.removeChunks(keep, chunks.length - keep);
  }

  /** removes every entry with lo < key <= hi, appending their handles to out (the buffered ones first, then in key order) */
  takeRange(lo: number, hi: number, out: HandleList): void {
    if (!(lo < hi)) return;
    this.takePending(lo, hi, out);
    const chunks = this.chunks;
    let ci = this.chunkAboveKey(lo);
    while (ci < chunks.length) {
      const c = chunks[ci] as Chunk;
      const from = c.upperBoundKey(lo);
      const to = c.upperBoundKey(hi);
      const stopsHere = to < c.n;
      if (to > from) {
        c.cut(from, to, out);
        this.count -= to - from;
      }
      if (c.n === 0) {
        this.removeChunks(ci, 1);
      } else {
        this.refresh(ci);
        ci++;
      }
      if (stopsHere) break;
    }
  }

  /** appends the handles of every entry with lo < key <= hi to out (the buffered ones first, then in key order), keeping them */
  collectRange(lo: number, hi: number, out: HandleList): void {
    if (!(lo < hi)) return;
    for (let i = 0; i < this.pn; i++) {
      const k = this.pk[i] as number;
      if (k > lo && k <= hi) out.push(this.ph[i] as number);
    }
    const chunks = this.chunks;
    for (let ci = this.chunkAboveKey(lo); ci < chunks.length; ci++) {
      const c = chunks[ci] as Chunk;
      const to = c.upperBoundKey(hi);
      out.append(c.handles, c.upperBoundKey(lo), to);
      if (to < c.n) return;
    }
  }

  /** whether some entry has lo < key <= hi */
  hasInRange(lo: number, hi: number): boolean {
    if (!(lo < hi)) return false;
    if (this.pMax > lo && this.pMin <= hi) {
      for (let i = 0; i < this.pn; i++) {
        const k = this.pk[i] as number;
        if (k > lo && k <= hi) return true;
      }
    }
    const ci = this.chunkAboveKey(lo);
    const c = this.chunks[ci];
    if (c === undefined) return false;
    const p = c.upperBoundKey(lo);
    return p < c.n && (c.keys[p] as number) <= hi;
  }

  /** the largest key <= x, -Infinity when there is none */
  floorKey(x: number): number {
    let best = -Infinity;
    for (let i = 0; i < this.pn; i++) {
      const k = this.pk[i] as number;
      if (k <= x && k > best) best = k;
    }
    const ci = this.chunkAboveKey(x);
    const c = this.chunks[ci];
    let k = -Infinity;
    if (c !== undefined) {
      const p = c.upperBoundKey(x);
      if (p > 0) k = c.keys[p - 1] as number;
      else if (ci > 0) k = this.lastKeys[ci - 1] as number;
    } else if (ci > 0) {
      k = this.lastKeys[ci - 1] as number;
    }
    return k > best ? k : best;
  }

  /** the smallest key > x, Infinity when there is none */
  higherKey(x: number): number {
    let best = Infinity;
    for (let i = 0; i < this.pn; i++) {
      const k = this.pk[i] as number;
      if (k > x && k < best) best = k;
    }
    const c = this.chunks[this.chunkAboveKey(x)];
    if (c === undefined) return best;
    const k = c.keys[c.upperBoundKey(x)] as number;
    return k < best ? k : best;
  }

  /** every entry in order (tests and diagnostics) */
  entries(): Array<[number, number]> {
    this.settle();
    const out: Array<[number, number]> = [];
    for (const c of this.chunks) for (let i = 0; i < c.n; i++) out.push([c.keys[i] as number, c.handles[i] as number]);
    return out;
  }

  /** removes everything */
  clear(): void {
    for (const c of this.chunks) c.free();
    this.chunks = [];
    this.lastKeys = [];
    this.lastHandles = [];
    this.pn = 0;
    this.pMin = Infinity;
    this.pMax = -Infinity;
    this.count = 0;
  }

  /** removes everything, appending handles to out */
  drain(out: number[]): void {
    for (let i = 0; i < this.pn; i++) out.push(this.ph[i] as number);
    this.pn = 0;
    this.pMin = Infinity;
    this.pMax = -Infinity;
    for (const c of this.chunks) {
      for (let i = 0; i < c.n; i++) out.push(c.handles[i] as number);
      c.free();
    }
    this.chunks = [];
    this.lastKeys = [];
    this.lastHandles = [];
    this.count = 0;
  }
}
