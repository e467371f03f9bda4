/**
 * A min-heap of (time, handle, epoch) in typed arrays. Entries are never
 * removed from the middle: an entry whose epoch no longer matches its rule's
 * is skipped when it comes out.
 */
export class TimeHeap {
  private times = new Float64Array(4);
  private handles = new Int32Array(4);
  private epochs = new Uint32Array(4);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** earliest time, Infinity when empty */
  peekTime(): number {
    return this.n === 0 ? Infinity : (this.times[0] as number);
  }

  peekHandle(): number {
    return this.handles[0] as number;
  }

  peekEpoch(): number {
    return this.epochs[0] as number;
  }

  push(time: number, handle: number, epoch: number): void {
    if (this.n === this.times.length) {
      const cap = this.n * 2;
      const t = new Float64Array(cap);
      const h = new Int32Array(cap);
      const e = new Uint32Array(cap);
      t.set(this.times);
      h.set(this.handles);
      e.set(this.epochs);
      this.times = t;
      this.handles = h;
      this.epochs = e;
    }
    const times = this.times;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      if (pt <= time) break;
      times[i] = pt;
      this.handles[i] = this.handles[parent] as number;
      this.epochs[i] = this.epochs[parent] as number;
      i = parent;
    }
    times[i] = time;
    this.handles[i] = handle;
    this.epochs[i] = epoch;
  }

  /** removes the earliest entry */
  pop(): void {
    const n = --this.n;
    if (n === 0) return;
    const times = this.times;
    const time = times[n] as number;
    const handle = this.handles[n] as number;
    const epoch = this.epochs[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (times[child + 1] as number) < (times[child] as number)) child++;
      const ct = times[child] as number;
      if (ct >= time) break;
      times[i] = ct;
      this.handles[i] = this.handles[child] as number;
      this.epochs[i] = this.epochs[child] as number;
      i = child;
    }
    times[i] = time;
    this.handles[i] = handle;
    this.epochs[i] = epoch;
  }

  /**
   * Calls `each` with the handle and epoch of every entry due at `time` (time
   * at or before it), in no particular order, without removing any: the due
   * entries are the subtree at the root where times are <= `time`.
   */
  forEachDue(time: number, each: (handle: number, epoch: number) => void): void {
    if (this.n === 0 || (this.times[0] as number) > time) return;
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop() as number;
      each(this.handles[i] as number, this.epochs[i] as number);
      for (let c = 2 * i + 1; c <= 2 * i + 2 && c < this.n; c++) if ((this.times[c] as number) <= time) stack.push(c);
    }
  }

  /** empties the heap */
  clear(): void {
    this.n = 0;
  }
}
