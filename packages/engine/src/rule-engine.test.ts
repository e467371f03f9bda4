import { describe, expect, it } from "vitest";
import { Harness, OPTS, alertsOf, rule, tick } from "./test-support/fixtures.js";
import { RuleEngine } from "./rule-engine.js";
import { EngineInputError } from "./errors.js";

describe("level rules", () => {
  it("fires when PRND_OXIDE exceeds 450000 CNY/t on 2025-02-25 and says why", () => {
    const h = new Harness().upsert(rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }));
    expect(h.price(tick("PRND_OXIDE", 444000, "2025-02-24"))).toEqual([]);
    const t = tick("PRND_OXIDE", 451000, "2025-02-25");
    const [a, ...rest] = alertsOf(h.price(t));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({
      id: `r_above450:1:${t.seq}`,
      ruleId: "r_above450",
      ruleRevision: 1,
      userId: "u_alice123",
      instrument: "PRND_OXIDE",
      price: { value: 451000, unit: "CNY/t", ts: "2025-02-25T00:00:00Z", source: "smm", seq: t.seq },
      threshold: { value: 450000, unit: "CNY/t", quoteValue: 450000, quoteUnit: "CNY/t" },
      firedAt: "2025-02-25T00:00:00Z",
      channels: ["email", "telegram"],
      title: "PRND_OXIDE above 450,000 CNY/t",
    });
    expect(a?.text).toContain("PRND_OXIDE is at 451,000 CNY/t, at or above 450,000 CNY/t.");
    expect(a?.text).toContain("Price: 451,000 CNY/t at 2025-02-25T00:00:00Z from smm.");
    expect(h.state("above450")).toMatchObject({
      status: "disarmed",
      firedCount: 1,
      lastFiredAt: "2025-02-25T00:00:00Z",
    });
  });

  it("fires on the first price seen after creation when the price is already above", () => {
    const h = new Harness();
    h.price(tick("PRND_OXIDE", 460000, "2025-03-01"));
    h.upsert(rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }));
    expect(h.state("above450")?.status).toBe("armed");
    expect(alertsOf(h.price(tick("PRND_OXIDE", 455000, "2025-03-02")))).toHaveLength(1);
  });

  it("fires at exactly the threshold: at/over for above, at/under for below", () => {
    const h = new Harness().upsert(
      rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }),
      rule("below400", "PRND_OXIDE", { type: "below", value: 400000 }),
    );
    expect(alertsOf(h.price(tick("PRND_OXIDE", 450000, "2025-03-01"))).map((a) => a.ruleId)).toEqual(["r_above450"]);
    expect(alertsOf(h.price(tick("PRND_OXIDE", 400000, "2025-03-02"))).map((a) => a.title)).toEqual([
      "PRND_OXIDE below 400,000 CNY/t",
    ]);
  });

  it("fires once when price crosses 450000 and re-arms below 445500", () => {
    const h = new Harness().upsert(
      rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }, { rearm: { pct: 1 } }),
    );
    const fired = (p: number, day: string): number => alertsOf(h.price(tick("PRND_OXIDE", p, day))).length;
    expect(fired(451000, "2025-03-01")).toBe(1);
    expect(fired(452000, "2025-03-02")).toBe(0);
    expect(fired(447000, "2025-03-03")).toBe(0);
    expect(fired(451000, "2025-03-04")).toBe(0);
    expect(fired(445500, "2025-03-05")).toBe(0);
    expect(h.state("above450")?.status).toBe("disarmed");
    expect(fired(445000, "2025-03-06")).toBe(0);
    expect(h.state("above450")?.status).toBe("armed");
    expect(fired(450000, "2025-03-07")).toBe(1);
  });

  it("re-arms as soon as the condition is false when no band is set", () => {
    const h = new Harness().upsert(
      rule("below400", "PRND_OXIDE", { type: "below", value: 400000 }, { rearm: { abs: 5000 } }),
    );
    const fired = (p: number, day: string): number => alertsOf(h.price(tick("PRND_OXIDE", p, day))).length;
    expect(fired(399000, "2025-03-01")).toBe(1);
    expect(fired(404000, "2025-03-02")).toBe(0);
    expect(fired(399000, "2025-03-03")).toBe(0);
    expect(fired(405001, "2025-03-04")).toBe(0);
    expect(fired(400000, "2025-03-05")).toBe(1);
    const h2 = new Harness().upsert(rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }));
    const fired2 = (p: number, day: string): number => alertsOf(h2.price(tick("PRND_OXIDE", p, day))).length;
    expect(fired2(450000, "2025-03-01")).toBe(1);
    expect(fired2(449999, "2025-03-02")).toBe(0);
    expect(fired2(450000, "2025-03-03")).toBe(1);
  });

  it("evaluates a rule only on prices of its own instrument", () => {
    const h = new Harness().upsert(rule("nd730000", "ND_OXIDE", { type: "above", value: 730000 }));
    expect(h.price(tick("PR_OXIDE", 733300, "2026-01-28"))).toEqual([]);
    expect(h.price(tick("Y_OXIDE", 77000, "2026-01-28"))).toEqual([]);
    expect(alertsOf(h.price(tick("ND_OXIDE", 732500, "2026-01-28")))[0]?.title).toBe("ND_OXIDE above 730,000 CNY/t");
  });
});

describe("cross rules", () => {
  it("cross_up fires on the move from below to at-or-above, counting the last price before creation as the previous one", () => {
    const h = new Harness();
    h.price(tick("PRND_OXIDE", 449000, "2025-02-24"));
    h.upsert(rule("xup45000", "PRND_OXIDE", { type: "cross_up", value: 450000 }));
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 452000, "2025-02-25")));
    expect(a?.title).toBe("PRND_OXIDE crossed above 450,000 CNY/t");
    expect(a?.text).toContain("PRND_OXIDE rose from 449,000 to 452,000 CNY/t, crossing 450,000 CNY/t.");
  });

  it("cross_up created while the price is above waits for a fall below and a new cross", () => {
    const h = new Harness();
    h.price(tick("PRND_OXIDE", 452000, "2025-02-25"));
    h.upsert(rule("xup45000", "PRND_OXIDE", { type: "cross_up", value: 450000 }));
    expect(h.price(tick("PRND_OXIDE", 455000, "2025-02-26"))).toEqual([]);
    expect(h.price(tick("PRND_OXIDE", 440000, "2025-02-27"))).toEqual([]);
    expect(alertsOf(h.price(tick("PRND_OXIDE", 450000, "2025-02-28")))).toHaveLength(1);
  });

  it("cross_up does not fire on the first price of an instrument: there is no previous one", () => {
    const h = new Harness().upsert(rule("xup45000", "PRND_OXIDE", { type: "cross_up", value: 450000 }));
    expect(h.state("xup45000")).toMatchObject({ status: "waiting", waitingFor: "price" });
    expect(h.price(tick("PRND_OXIDE", 460000, "2025-02-25"))).toEqual([]);
  });

  it("cross_down fires on the move from above to at-or-under and re-arms past its band", () => {
    const h = new Harness();
    h.price(tick("TB_OXIDE", 6475, "2025-02-28"));
    h.upsert(rule("xdn60000", "TB_OXIDE", { type: "cross_down", value: 6000 }, { rearm: { abs: 100 } }));
    expect(alertsOf(h.price(tick("TB_OXIDE", 5940, "2025-03-01")))[0]?.title).toBe(
      "TB_OXIDE crossed below 6,000 CNY/kg",
    );
    expect(h.price(tick("TB_OXIDE", 6050, "2025-03-02"))).toEqual([]);
    expect(h.price(tick("TB_OXIDE", 5990, "2025-03-03"))).toEqual([]);
    expect(h.price(tick("TB_OXIDE", 6101, "2025-03-04"))).toEqual([]);
    expect(alertsOf(h.price(tick("TB_OXIDE", 6000, "2025-03-05")))).toHaveLength(1);
  });
});

describe("cooldown, once, expiry, disable", () => {
  it("cooldown spaces two firings: a level met during the cooldown fires on the first price after it", () => {
    const h = new Harness().upsert(
      rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }, { cooldown: "1d" }),
    );
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-03-01T00:00:00Z")))).toHaveLength(1);
    h.price(tick("PRND_OXIDE", 449000, "2025-03-01T06:00:00Z"));
    expect(h.price(tick("PRND_OXIDE", 452000, "2025-03-01T12:00:00Z"))).toEqual([]);
    expect(h.state("above450")?.status).toBe("armed");
    expect(h.price(tick("PRND_OXIDE", 453000, "2025-03-01T23:59:59Z"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 452500, "2025-03-02T00:00:00Z")));
    expect(a?.price.value).toBe(452500);
  });

  it("a cross that happens during the cooldown is not replayed after it", () => {
    const h = new Harness().upsert(
      rule("xup45000", "PRND_OXIDE", { type: "cross_up", value: 450000 }, { cooldown: "1d" }),
    );
    h.price(tick("PRND_OXIDE", 449000, "2025-03-01T00:00:00Z"));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-03-01T01:00:00Z")))).toHaveLength(1);
    h.price(tick("PRND_OXIDE", 449000, "2025-03-01T02:00:00Z"));
    expect(h.price(tick("PRND_OXIDE", 451000, "2025-03-01T03:00:00Z"))).toEqual([]);
    expect(h.price(tick("PRND_OXIDE", 452000, "2025-03-02T03:00:00Z"))).toEqual([]);
    h.price(tick("PRND_OXIDE", 449000, "2025-03-02T04:00:00Z"));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 450000, "2025-03-02T05:00:00Z")))).toHaveLength(1);
  });

  it("once: fires one alert, then says the rule finished and never fires again", () => {
    const h = new Harness().upsert(rule("once4500", "PRND_OXIDE", { type: "above", value: 450000 }, { once: true }));
    const ds = h.price(tick("PRND_OXIDE", 451000, "2025-02-25"));
    expect(ds.map((d) => d.kind)).toEqual(["alert", "rule_finished"]);
    expect(ds[1]).toEqual({ kind: "rule_finished", ruleId: "r_once4500", revision: 1, reason: "once" });
    h.prices(tick("PRND_OXIDE", 440000, "2025-02-26"), tick("PRND_OXIDE", 460000, "2025-02-27"));
    expect(h.state("once4500")).toMatchObject({ status: "finished", finishedReason: "once", firedCount: 1 });
  });

  it("expiresAt ends a rule: a price at or after it finishes the rule instead of firing", () => {
    const h = new Harness().upsert(
      rule("expiring", "PRND_OXIDE", { type: "above", value: 450000 }, { expiresAt: "2025-02-25T00:00:00Z" }),
    );
    expect(h.price(tick("PRND_OXIDE", 451000, "2025-02-25"))).toEqual([
      { kind: "rule_finished", ruleId: "r_expiring", revision: 1, reason: "expired" },
    ]);
    expect(h.price(tick("PRND_OXIDE", 452000, "2025-02-26"))).toEqual([]);
  });

  it("expiresAt also ends a rule on the clock, without any price", () => {
    const h = new Harness().upsert(
      rule("expiring", "DY_OXIDE", { type: "above", value: 2000 }, { expiresAt: "2025-03-01T00:00:00Z" }),
    );
    expect(h.clock("2025-02-28T23:59:59Z")).toEqual([]);
    expect(h.clock("2025-03-01T00:00:00Z")).toEqual([
      { kind: "rule_finished", ruleId: "r_expiring", revision: 1, reason: "expired" },
    ]);
    expect(h.state("expiring")?.status).toBe("finished");
  });

  it("a disabled rule is kept but never fires; enabling it again (new revision) lets it fire", () => {
    const r = rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }, { enabled: false });
    const h = new Harness().upsert(r);
    expect(h.price(tick("PRND_OXIDE", 451000, "2025-02-25"))).toEqual([]);
    expect(h.state("above450")?.status).toBe("disabled");
    expect(h.engine.ruleCount()).toBe(1);
    h.upsert({ ...r, revision: 2, enabled: true });
    expect(alertsOf(h.price(tick("PRND_OXIDE", 452000, "2025-02-26")))[0]?.id).toMatch(/^r_above450:2:/);
  });
});

describe("decisions and inputs", () => {
  it("returns the decisions of one price sorted by rule id, alert before rule_finished", () => {
    const h = new Harness().upsert(
      rule("cRule000", "ND_OXIDE", { type: "above", value: 700000 }, { once: true }),
      rule("aRule000", "ND_OXIDE", { type: "above", value: 720000 }),
      rule("bRule000", "ND_OXIDE", { type: "above", value: 732500 }, { once: true }),
    );
    const ds = h.price(tick("ND_OXIDE", 732500, "2026-01-28"));
    expect(ds.map((d) => (d.kind === "alert" ? `alert ${d.alert.ruleId}` : `finished ${d.ruleId}`))).toEqual([
      "alert r_aRule000",
      "alert r_bRule000",
      "finished r_bRule000",
      "alert r_cRule000",
      "finished r_cRule000",
    ]);
  });

  it("rejects a price for an unknown instrument or in another unit, and a rule it cannot evaluate", () => {
    const h = new Harness();
    expect(() => h.engine.onPrice(tick("NOPE_OXIDE", 1, "2025-01-01"))).toThrow(EngineInputError);
    expect(() => h.engine.onPrice(tick("PRND_OXIDE", 1, "2025-01-01", { unit: "CNY/kg" }))).toThrow(/quoted in CNY\/t/);
    expect(() => h.engine.onPrice(tick("PRND_OXIDE", 0, "2025-01-01"))).toThrow(/finite number > 0/);
    expect(() =>
      h.engine.upsertRule(rule("badrule1", "PRND_OXIDE", { type: "above", value: 1 }, { unit: "CNY/share" })),
    ).toThrow(/cannot be expressed/);
    expect(() => h.engine.upsertRule(rule("badrule1", "NOPE_OXIDE", { type: "above", value: 1 }))).toThrow(
      /unknown instrument/,
    );
    expect(h.engine.ruleCount()).toBe(0);
  });

  it("removes a rule: it no longer fires and has no state", () => {
    const h = new Harness().upsert(rule("above450", "PRND_OXIDE", { type: "above", value: 450000 }));
    h.remove("r_above450");
    expect(h.price(tick("PRND_OXIDE", 451000, "2025-02-25"))).toEqual([]);
    expect(h.state("above450")).toBeUndefined();
    expect(h.engine.ruleCount()).toBe(0);
  });
});

describe("loading many rules at once", () => {
  it("applies a batch as if upserted one by one, and returns the rules it refuses with their errors", () => {
    const engine = new RuleEngine(OPTS);
    const thresholds = [452000, 446000, 450000, 448000];
    const refused = engine.upsertRules([
      ...thresholds.map((v) => rule(`above${v}`, "PRND_OXIDE", { type: "above", value: v })),
      rule("nowhere", "XX_UNKNOWN", { type: "above", value: 1 }),
      rule("above446000", "PRND_OXIDE", { type: "above", value: 447000 }, { revision: 2 }),
    ]);
    expect(refused.map((r) => [r.rule.id, r.error.code])).toEqual([["r_nowhere", "UNKNOWN_INSTRUMENT"]]);
    expect(engine.ruleCount()).toBe(4);
    const fired = alertsOf(engine.onPrice(tick("PRND_OXIDE", 449000, "2025-02-25"))).map((a) => [
      a.ruleId,
      a.ruleRevision,
    ]);
    expect(fired).toEqual([
      ["r_above446000", 2],
      ["r_above448000", 1],
    ]);
  });
});
