import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DecisionList, compareDecisions, orderKey } from "./decisions.js";
import type { Decision } from "./types.js";

const id = fc.oneof(
  fc.stringMatching(/^r_[A-Za-z0-9]{8,16}$/),
  fc.string({ maxLength: 10 }),
  fc.constantFrom("r_", "r_a", "r_aaaaaaa", "r_aaaaaab", "r_aaaaaa", "é", "\u0000", "ÿÿ"),
);

function finishedOf(ruleId: string, revision = 1): Decision {
  return { kind: "rule_finished", ruleId, revision, reason: "once" };
}

/** the decisions in the order a DecisionList gives them, each keyed by orderKey of its rule id */
function keyedOrder(ds: readonly Decision[]): Decision[] {
  const list = new DecisionList();
  for (const d of ds) list.push(d, orderKey(d.ruleId));
  return list.drain();
}

describe("decision order", () => {
  it("orderKey never contradicts the code-unit order of ids", () => {
    fc.assert(
      fc.property(id, id, (a, b) => {
        if (a < b) expect(orderKey(a)).toBeLessThanOrEqual(orderKey(b));
        if (a === b) expect(orderKey(a)).toBe(orderKey(b));
      }),
      { seed: 7, numRuns: 5000 },
    );
  });

  it("sorting with keys gives the same order as sorting on the ids, by insertion (up to 64) and by radix", () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 150 }), (ids) => {
        const ds = ids.map((r, i) => finishedOf(r, i));
        const keyed = keyedOrder(ds);
        const plain = [...ds].sort(compareDecisions);
        expect(keyed.map((d) => d.ruleId)).toEqual(plain.map((d) => d.ruleId));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it("sorts thousands of decisions, with shared id prefixes and a rule's two decisions, as the ids sort", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.stringMatching(/^r_[A-Za-z0-9]{3,16}$/), fc.stringMatching(/^r_aaaaa[ab]{0,4}$/)), {
          minLength: 1000,
          maxLength: 5000,
        }),
        (ids) => {
          const ds = ids.flatMap((r, i) =>
            i % 3 === 0
              ? [finishedOf(r, i), { kind: "alert", ruleId: r, alert: {} } as unknown as Decision]
              : [finishedOf(r, i)],
          );
          const keyed = keyedOrder(ds);
          expect(keyed).toEqual([...ds].sort(compareDecisions));
        },
      ),
      { seed: 13, numRuns: 20 },
    );
  });

  it("puts a rule's alert before its rule_finished", () => {
    const alert = { kind: "alert", ruleId: "r_aaaaaaaa1", alert: {} } as unknown as Decision;
    const done = finishedOf("r_aaaaaaaa1");
    const other = finishedOf("r_aaaaaaaa0");
    const out = keyedOrder([done, alert, other]);
    expect(out).toEqual([other, alert, done]);
  });

  it("a reused list gives each step's decisions in order, and only that step's", () => {
    const list = new DecisionList();
    fc.assert(
      fc.property(fc.array(fc.array(id, { maxLength: 150 }), { maxLength: 6 }), (steps) => {
        for (const ids of steps) {
          const ds = ids.map((r, i) => finishedOf(r, i));
          for (const d of ds) list.push(d, orderKey(d.ruleId));
          expect(list.drain()).toEqual([...ds].sort(compareDecisions));
          expect(list.length).toBe(0);
        }
        list.push(finishedOf("r_left"), orderKey("r_left"));
        list.clear();
        expect(list.drain()).toEqual([]);
      }),
      { seed: 17, numRuns: 200 },
    );
  });
});
