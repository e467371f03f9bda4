import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BlockPool } from "./block-pool.js";

describe("BlockPool", () => {
  it("hands out blocks that never overlap, whatever is taken and given back", () => {
    const op = fc.record({ take: fc.boolean(), k: fc.nat(5), pick: fc.nat() });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        // slabs of 4 * 2^3 = 32 numbers: class 4 and 5 blocks are arrays of their own
        const pool = new BlockPool(4, 3);
        const held: Array<{ block: Float64Array; mark: number }> = [];
        let mark = 0;
        for (const { take, k, pick } of ops) {
          if (take || held.length === 0) {
            const block = pool.take(k);
            expect(block.length).toBe(4 * 2 ** k);
            block.fill(++mark);
            held.push({ block, mark });
          } else {
            const [gone] = held.splice(pick % held.length, 1);
            if (gone !== undefined) pool.give(gone.block);
          }
          for (const h of held) expect(h.block.every((v) => v === h.mark)).toBe(true);
        }
      }),
      { seed: 8128, numRuns: 200 },
    );
  });

  it("reuses a block given back instead of taking more memory", () => {
    const pool = new BlockPool(4, 3);
    const a = pool.take(1);
    const before = pool.allocated;
    pool.give(a);
    expect(pool.spare).toBe(8);
    expect(pool.take(1)).toBe(a);
    expect(pool.allocated).toBe(before);
    expect(pool.spare).toBe(0);
  });

  it("keeps the rest of a full slab as spare blocks", () => {
    const pool = new BlockPool(4, 3);
    pool.take(2); // 16 of the slab's 32
    pool.take(1); // 8 more: 8 left
    pool.take(2); // does not fit: the 8 left become a spare block, and a new slab is cut
    expect(pool.allocated).toBe(64);
    expect(pool.spare).toBe(8);
    pool.take(1);
    expect(pool.spare).toBe(0);
    expect(pool.allocated).toBe(64);
  });

  it("gives a block larger than a slab an array of its own, and refuses sizes it does not hand out", () => {
    const pool = new BlockPool(4, 3);
    const big = pool.take(4);
    expect(big.length).toBe(64);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(64 * 8);
    expect(() => pool.give(new Float64Array(12))).toThrow(RangeError);
    expect(() => pool.classOf(2)).toThrow("no block of 2 numbers");
  });
});
