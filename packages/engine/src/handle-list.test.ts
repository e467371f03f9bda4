import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HandleList } from "./handle-list.js";

describe("HandleList", () => {
  it("holds what was pushed and appended, in order, across growth and clears", () => {
    const step = fc.oneof(
      fc.record({ op: fc.constant("push" as const), h: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
      fc.record({
        op: fc.constant("append" as const),
        run: fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { maxLength: 700 }),
        from: fc.nat(),
        cut: fc.nat(),
      }),
      fc.record({ op: fc.constant("clear" as const) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const list = new HandleList();
        let model: number[] = [];
        for (const s of steps) {
          if (s.op === "push") {
            list.push(s.h);
            model.push(s.h);
          } else if (s.op === "append") {
            const src = Int32Array.from(s.run);
            const from = s.run.length === 0 ? 0 : s.from % s.run.length;
            const to = from + (s.cut % (s.run.length - from + 1));
            list.append(src, from, to);
            model.push(...s.run.slice(from, to));
          } else {
            list.clear();
            model = [];
          }
          expect(list.length).toBe(model.length);
        }
        expect(list.toArray()).toEqual(model);
      }),
    );
  });
});
