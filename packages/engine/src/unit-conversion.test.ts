import { describe, expect, it } from "vitest";
import { RuleEngine } from "./rule-engine.js";
import { Harness, alertsOf, rule, tick } from "./test-support/fixtures.js";
import { toQuoteCurrency, toRuleCurrency, unitConversion } from "./unit-conversion.js";

describe("unitConversion", () => {
  it("gives the mass factor and the FX instrument between units of one family", () => {
    expect(unitConversion("CNY/t", "CNY/t")).toEqual({ massFactor: 1, fx: undefined });
    expect(unitConversion("CNY/kg", "CNY/t")).toEqual({ massFactor: 1000, fx: undefined });
    expect(unitConversion("USD/kg", "CNY/t")).toEqual({
      massFactor: 1000,
      fx: { instrument: "USDCNY", invert: false },
    });
    expect(unitConversion("USD/lb", "CNY/kg").massFactor).toBeCloseTo(2.2046226, 6);
    expect(unitConversion("CNY/t", "USD/kg")).toEqual({
      massFactor: 0.001,
      fx: { instrument: "USDCNY", invert: true },
    });
    expect(() => unitConversion("CNY/share", "HKD/share")).toThrow(/cannot be expressed/);
    expect(() => unitConversion("CNY/share", "CNY/t")).toThrow(/cannot be expressed/);
  });

  it("converts amounts between the quote's and the rule's currency both ways", () => {
    expect(toRuleCurrency(446400, 7.2, false)).toBeCloseTo(62000, 9);
    expect(toQuoteCurrency(62000, 7.2, false)).toBeCloseTo(446400, 9);
    expect(toRuleCurrency(62000, 7.2, true)).toBeCloseTo(446400, 9);
    expect(toQuoteCurrency(446400, 7.2, true)).toBeCloseTo(62000, 9);
  });
});

describe("rules in another unit", () => {
  it("converts a CNY/kg threshold for a CNY/t quote with the mass factor alone", () => {
    const h = new Harness().upsert(rule("prndkg00", "PRND_OXIDE", { type: "above", value: 450 }, { unit: "CNY/kg" }));
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 450000, "2025-02-25")));
    expect(a?.threshold).toEqual({ value: 450, unit: "CNY/kg", quoteValue: 450000, quoteUnit: "CNY/t" });
    expect(a?.title).toBe("PRND_OXIDE above 450 CNY/kg");
    expect(a?.text).toContain("Threshold: 450 CNY/kg = 450,000 CNY/t.");
    expect(a?.fx).toBeUndefined();
  });

  it("waits for an FX rate, then converts USD/kg with the latest USDCNY and says which rate it used", () => {
    const h = new Harness().upsert(rule("prndusd0", "PRND_OXIDE", { type: "above", value: 62 }, { unit: "USD/kg" }));
    expect(h.price(tick("PRND_OXIDE", 447000, "2025-02-25T00:00:00Z"))).toEqual([]);
    expect(h.state("prndusd0")).toMatchObject({ status: "waiting", waitingFor: "fx" });
    expect(h.price(tick("USDCNY", 7.2, "2025-02-25T01:00:00Z", { source: "fx" }))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 447000, "2025-02-25T02:00:00Z")));
    expect(a?.fx).toEqual({ instrument: "USDCNY", rate: 7.2, ts: "2025-02-25T01:00:00Z" });
    expect(a?.threshold?.quoteValue).toBeCloseTo(446400, 6);
    expect(a?.text).toContain("Threshold: 62 USD/kg = 446,400 CNY/t at USDCNY 7.2 (2025-02-25T01:00:00Z).");
  });

  it("does not fire on an FX move alone; the next price of the instrument uses the new rate", () => {
    const h = new Harness().upsert(
      rule("prndusd0", "PRND_OXIDE", { type: "above", value: 62 }, { unit: "USD/kg" }),
      rule("prndcny0", "PRND_OXIDE", { type: "above", value: 445000 }),
    );
    h.price(tick("USDCNY", 7.2, "2025-02-25T00:00:00Z"));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 444000, "2025-02-25T01:00:00Z")))).toEqual([]);
    expect(h.price(tick("USDCNY", 7.1, "2025-02-25T02:00:00Z"))).toEqual([]);
    const fired = alertsOf(h.price(tick("PRND_OXIDE", 444000, "2025-02-25T03:00:00Z")));
    expect(fired.map((a) => [a.ruleId, a.fx?.rate])).toEqual([["r_prndusd0", 7.1]]);
  });

  it("compares HKD equities in their own currency", () => {
    const h = new Harness().upsert(rule("hk769000", "HK00769", { type: "above", value: 4.4 }));
    expect(alertsOf(h.price(tick("HK00769", 4.4, "2025-04-15T08:00:00Z")))[0]?.title).toBe(
      "HK00769 above 4.4 HKD/share",
    );
  });

  it("divides the other way for a rule in the quote's counter currency (CNY rule on a USD quote)", () => {
    const units: Record<string, string> = { NDFEB_EXPORT: "USD/kg", USDCNY: "CNY/USD" };
    const engine = new RuleEngine({ unitOf: (id) => units[id] });
    engine.upsertRule(rule("ndfebcny", "NDFEB_EXPORT", { type: "below", value: 400 }, { unit: "CNY/kg" }));
    engine.onPrice(tick("USDCNY", 8, "2025-02-25", { unit: "CNY/USD" }));
    expect(engine.onPrice(tick("NDFEB_EXPORT", 51, "2025-02-26", { unit: "USD/kg" }))).toEqual([]);
    const [d] = engine.onPrice(tick("NDFEB_EXPORT", 50, "2025-02-27", { unit: "USD/kg" }));
    expect(d?.kind === "alert" && d.alert.threshold).toEqual({
      value: 400,
      unit: "CNY/kg",
      quoteValue: 50,
      quoteUnit: "USD/kg",
    });
  });
});
