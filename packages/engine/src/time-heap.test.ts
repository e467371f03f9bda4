import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimeHeap } from "./time-heap.js";

describe("TimeHeap", () => {
  it("pops entries in time order and lists exactly the due ones without removing them", () => {
    const entry = fc.record({ time: fc.integer({ min: 0, max: 50 }), pops: fc.nat(2) });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 200 }), fc.integer({ min: -1, max: 51 }), (ops, at) => {
        const heap = new TimeHeap();
        const held = new Map<number, { time: number; epoch: number }>();
        ops.forEach(({ time, pops }, handle) => {
          heap.push(time, handle, handle % 7);
          held.set(handle, { time, epoch: handle % 7 });
          for (let p = 0; p < pops && heap.size > 0; p++) {
            const earliest = Math.min(...[...held.values()].map((e) => e.time));
            expect(heap.peekTime()).toBe(earliest);
            held.delete(heap.peekHandle());
            heap.pop();
          }
        });
        const due: Array<[number, number]> = [];
        heap.forEachDue(at, (h, epoch) => due.push([h, epoch]));
        const expected = [...held].filter(([, e]) => e.time <= at).map(([h, e]) => [h, e.epoch]);
        expect(due.sort((a, b) => a[0] - b[0])).toEqual(expected.sort((a, b) => (a[0] as number) - (b[0] as number)));
        expect(heap.size).toBe(held.size);
      }),
    );
  });
});
