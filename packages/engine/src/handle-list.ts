/**
 * A list of rule handles in an Int32Array that is reused from price to price
 * and only ever grows. A price that moves tens of thousands of rules takes
 * them out of their index into one of these: appended to a plain array
 * instead, they would grow it past the size the collector keeps with small
 * objects, and every step of that growth would be fresh memory, mapped page
 * by page (about 70 ns per handle, against about 1 here).
 */
export class HandleList {
  /** the handles, at [0, length) */
  data = new Int32Array(256);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  push(h: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = h;
  }

  /** appends src[from, to) */
  append(src: Int32Array, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    if (this.length + n > this.data.length) this.grow(this.length + n);
    const data = this.data;
    if (n >= COPY_AT) {
      data.set(src.subarray(from, to), this.length);
    } else {
      for (let i = from, w = this.length; i < to; i++, w++) data[w] = src[i] as number;
    }
    this.length += n;
  }

  /** the handles as a plain array (tests and diagnostics) */
  toArray(): number[] {
    return Array.from(this.data.subarray(0, this.length));
  }

  private grow(min: number): void {
    let capacity = this.data.length * 2;
    while (capacity < min) capacity *= 2;
    const data = new Int32Array(capacity);
    data.set(this.data.subarray(0, this.length));
    this.data = data;
  }
}

/** runs at least this long are copied with set (a view and a block copy), shorter ones one by one */
const COPY_AT = 64;
