/**
 * Fixed-width records of numbers in one Float64Array, slots 0..count-1,
 * grown by doubling: the bounds of an instrument's ladders, contiguous in
 * memory, with slots that stay put until a ladder is dropped.
 */
export class SlotArrays {
  count = 0;
  data: Float64Array;

  constructor(readonly stride: number) {
    this.data = new Float64Array(stride * 2);
  }

  /** a new zeroed slot */
  add(): number {
    if ((this.count + 1) * this.stride > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    const s = this.count++;
    this.data.fill(0, s * this.stride, (s + 1) * this.stride);
    return s;
  }

  /** frees a slot by moving the last slot into it */
  removeByMovingLast(slot: number): void {
    const last = --this.count;
    if (slot !== last) this.data.copyWithin(slot * this.stride, last * this.stride, (last + 1) * this.stride);
  }
}
