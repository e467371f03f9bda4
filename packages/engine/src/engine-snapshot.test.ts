import { describe, expect, it } from "vitest";
import { EngineInputError } from "./errors.js";
import { RuleEngine } from "./rule-engine.js";
import { OPTS, plainDecisions, rule, tick } from "./test-support/fixtures.js";

describe("snapshot and restore", () => {
  it("resumes exactly: a restored engine decides the rest of the stream like the one that never stopped", () => {
    const rules = [
      rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }, { rearm: { pct: 1 }, cooldown: "2d" }),
      rule("prnd5pct", "PRND_OXIDE", { type: "change", direction: "any", pct: 5, window: "30d" }),
      rule("prndusd0", "PRND_OXIDE", { type: "cross_up", value: 62 }, { unit: "USD/kg" }),
      rule("stale26h", "PRND_OXIDE", { type: "stale", after: "26h" }),
    ];
    const first = [
      tick("USDCNY", 7.2, "2025-01-20"),
      tick("PRND_OXIDE", 415000, "2025-01-27"),
      tick("PRND_OXIDE", 451000, "2025-02-24"),
    ];
    const rest = [
      tick("PRND_OXIDE", 444000, "2025-02-25"),
      tick("PRND_OXIDE", 452000, "2025-02-26"),
      tick("USDCNY", 7.1, "2025-02-26T12:00:00Z"),
      tick("PRND_OXIDE", 444000, "2025-02-28"),
    ];
    const a = new RuleEngine(OPTS);
    for (const r of rules) a.upsertRule(r);
    for (const t of first) a.onPrice(t);
    a.onClock(Date.parse("2025-02-25T03:00:00Z"));
    const b = RuleEngine.restore(JSON.parse(JSON.stringify(a.snapshot())), OPTS);
    for (const t of rest) expect(plainDecisions(b.onPrice(t))).toEqual(plainDecisions(a.onPrice(t)));
    const at = Date.parse("2025-03-02T00:00:00Z");
    expect(plainDecisions(b.onClock(at))).toEqual(plainDecisions(a.onClock(at)));
    for (const r of rules) expect(b.ruleState(r.id)).toEqual(a.ruleState(r.id));
    expect(b.snapshot()).toEqual(a.snapshot());
  });

  it("writes plain JSON: rules and instruments sorted by id, no typed arrays", () => {
    const e = new RuleEngine(OPTS);
    e.upsertRule(rule("zzzzzzzz", "DY_OXIDE", { type: "above", value: 2000 }));
    e.upsertRule(rule("aaaaaaaa", "TB_OXIDE", { type: "below", value: 5000 }));
    e.onPrice(tick("TB_OXIDE", 5940, "2025-01-27"));
    e.onPrice(tick("DY_OXIDE", 1665, "2025-01-27"));
    const s = e.snapshot();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s.rules.map((r) => r.rule.id)).toEqual(["r_aaaaaaaa", "r_zzzzzzzz"]);
    expect(s.instruments.map((i) => i.instrument)).toEqual(["DY_OXIDE", "TB_OXIDE"]);
    expect(s.rules[0]?.memory).toEqual({
      armed: true,
      finished: null,
      finishedExpiresMs: null,
      firedCount: 0,
      lastFiredMs: null,
      lastFiredAt: null,
      staleGap: null,
    });
  });

  it("rejects a snapshot of another format", () => {
    expect(() => RuleEngine.restore({ format: "other" } as never, OPTS)).toThrow(EngineInputError);
  });
});
