/**
 * A min-heap of (time, handle, epoch). Entries are never removed from the
 * middle: an entry whose epoch no longer matches its rule's is skipped when
 * it comes out.
 *
 * Each entry is 16 bytes in one buffer: its time as a double, then its handle
 * and epoch as two 32-bit numbers. A step down or up the heap then reads one
 * place in memory per entry, not three (one per array): a large heap that is
 * read once in a while (the expiries of a popular instrument) costs a cache
 * miss per level, not three.
 */
export class TimeHeap {
  /** entry i: its time at 2 * i */
  private times = new Float64Array(8);
  /** entry i: its handle at 4 * i + 2 and its epoch at 4 * i + 3 (the same buffer as `times`) */
  private ids = new Uint32Array(this.times.buffer);
  private n = 0;

  get size(): number {
    return this.n;
  }

  /** earliest time, Infinity when empty */
  peekTime(): number {
    return this.n === 0 ? Infinity : (this.times[0] as number);
  }

  peekHandle(): number {
    return this.ids[2] as number;
  }

  peekEpoch(): number {
    return this.ids[3] as number;
  }

  push(time: number, handle: number, epoch: number): void {
    if (2 * this.n === this.times.length) {
      const times = new Float64Array(this.times.length * 2);
      times.set(this.times);
      this.times = times;
      this.ids = new Uint32Array(times.buffer);
    }
    const times = this.times;
    const ids = this.ids;
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[2 * parent] as number;
      if (pt <= time) break;
      times[2 * i] = pt;
      ids[4 * i + 2] = ids[4 * parent + 2] as number;
      ids[4 * i + 3] = ids[4 * parent + 3] as number;
      i = parent;
    }
    times[2 * i] = time;
    ids[4 * i + 2] = handle;
    ids[4 * i + 3] = epoch;
  }

  /** removes the earliest entry */
  pop(): void {
    const n = --this.n;
    if (n === 0) return;
    const times = this.times;
    const ids = this.ids;
    const time = times[2 * n] as number;
    const handle = ids[4 * n + 2] as number;
    const epoch = ids[4 * n + 3] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && (times[2 * child + 2] as number) < (times[2 * child] as number)) child++;
      const ct = times[2 * child] as number;
      if (ct >= time) break;
      times[2 * i] = ct;
      ids[4 * i + 2] = ids[4 * child + 2] as number;
      ids[4 * i + 3] = ids[4 * child + 3] as number;
      i = child;
    }
    times[2 * i] = time;
    ids[4 * i + 2] = handle;
    ids[4 * i + 3] = epoch;
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
      each(this.ids[4 * i + 2] as number, this.ids[4 * i + 3] as number);
      for (let c = 2 * i + 1; c <= 2 * i + 2 && c < this.n; c++)
        if ((this.times[2 * c] as number) <= time) stack.push(c);
    }
  }

  /** empties the heap */
  clear(): void {
    this.n = 0;
  }
}
