import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareDecisions, orderKey, sortDecisions } from "./decisions.js";
import type { Decision } from "./types.js";

const id = fc.oneof(
  fc.stringMatching(/^r_[A-Za-z0-9]{8,16}$/),
  fc.string({ maxLength: 10 }),
  fc.constantFrom("r_", "r_a", "r_aaaaaaa", "r_aaaaaab", "r_aaaaaa", "é", "\u0000", "ÿÿ"),
);

function finishedOf(ruleId: string, revision = 1): Decision {
  return { kind: "rule_finished", ruleId, revision, reason: "once" };
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

  it("sorting with keys gives the same order as sorting on the ids", () => {
    fc.assert(
      fc.property(fc.array(id, { maxLength: 60 }), (ids) => {
        const ds = ids.map((r, i) => finishedOf(r, i));
        const keyed = sortDecisions(
          [...ds],
          ds.map((d) => orderKey(d.ruleId)),
        );
        const plain = [...ds].sort(compareDecisions);
        expect(keyed.map((d) => d.ruleId)).toEqual(plain.map((d) => d.ruleId));
      }),
      { seed: 11, numRuns: 500 },
    );
  });

  it("puts a rule's alert before its rule_finished", () => {
    const alert = { kind: "alert", ruleId: "r_aaaaaaaa1", alert: {} } as unknown as Decision;
    const done = finishedOf("r_aaaaaaaa1");
    const other = finishedOf("r_aaaaaaaa0");
    const out = sortDecisions(
      [done, alert, other],
      [orderKey("r_aaaaaaaa1"), orderKey("r_aaaaaaaa1"), orderKey("r_aaaaaaaa0")],
    );
    expect(out).toEqual([other, alert, done]);
  });
});
