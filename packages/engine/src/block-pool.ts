/**
 * A new array of `size` zeros whose pages are all written once now. The
 * system maps a new array's pages only when each is first written: left
 * alone, the price that first reaches each page of a growing history would
 * wait for a page fault (several µs on a virtual machine), once per 4 KB of
 * history. Mapped here, they are paid together when the array is made, on
 * the rare price that grows a history past its block.
 */
function mapped(size: number): Float64Array<ArrayBuffer> {
  return new Float64Array(size).fill(0);
}

/**
 * Float64Array blocks of `base * 2^k` numbers cut from large shared slabs,
 * and reused when given back: a history that doubles hands its old block to
 * the next one that grows to that size. Growing leaves no garbage for the
 * collector, and the storage of many small arrays lies together in a few
 * slabs instead of one allocation each (each of which V8 counts as external
 * memory and may start a full collection for).
 *
 * A block is a view into its slab and is written only by its holder. Blocks
 * larger than a slab are arrays of their own, reused the same way. The pool
 * keeps what it was given back: its size is bounded by the most that was
 * held at once, which for storage that only grows is at most twice what is
 * in use.
 */
export class BlockPool {
  private readonly free: Float64Array[][] = [];
  private slab = new Float64Array(0);
  /** where the next block is cut from the slab */
  private at = 0;
  /** numbers taken from the system (slabs and blocks of their own) */
  allocated = 0;
  /** numbers in blocks given back and not taken again */
  spare = 0;

  /**
   * @param base numbers in the smallest block
   * @param slabClasses the largest block cut from a slab is base * 2^slabClasses numbers (the slab's size)
   */
  constructor(
    readonly base: number,
    private readonly slabClasses: number,
  ) {}

  private get slabSize(): number {
    return this.base * 2 ** this.slabClasses;
  }

  /** the class of a block of `size` numbers (base * 2^class) */
  classOf(size: number): number {
    const k = 31 - Math.clz32(size / this.base);
    if (k < 0 || this.base * 2 ** k !== size) throw new RangeError(`no block of ${size} numbers`);
    return k;
  }

  /** a block of base * 2^k numbers, contents undefined */
  take(k: number): Float64Array {
    const reused = this.free[k]?.pop();
    const size = this.base * 2 ** k;
    if (reused !== undefined) {
      this.spare -= size;
      return reused;
    }
    if (k > this.slabClasses) {
      this.allocated += size;
      return mapped(size);
    }
    if (this.at + size > this.slab.length) this.newSlab();
    const block = this.slab.subarray(this.at, this.at + size);
    this.at += size;
    return block;
  }

  /** takes back a block from `take`; its holder no longer reads or writes it */
  give(block: Float64Array): void {
    const k = this.classOf(block.length);
    (this.free[k] ??= []).push(block);
    this.spare += block.length;
  }

  /** the rest of the current slab becomes spare blocks (largest first), then a new slab */
  private newSlab(): void {
    let rest = this.slab.length - this.at;
    for (let k = this.slabClasses; k >= 0 && rest >= this.base; k--) {
      const size = this.base * 2 ** k;
      while (rest >= size) {
        this.give(this.slab.subarray(this.at, this.at + size));
        this.at += size;
        rest -= size;
      }
    }
    this.slab = mapped(this.slabSize);
    this.at = 0;
    this.allocated += this.slabSize;
  }
}
