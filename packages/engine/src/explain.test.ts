import { AlertSchema } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { humanDuration, priceAlert, staleAlert } from "./explain.js";
import { rule, tick } from "./test-support/fixtures.js";

describe("alert explanations", () => {
  it("explains a level alert in the rule's unit and the quote's, with the FX rate used and the note", () => {
    const r = rule("prndusd0", "PRND_OXIDE", { type: "above", value: 62 }, { unit: "USD/kg", note: "NdPr breakout" });
    const t = tick("PRND_OXIDE", 447000, "2025-02-25T02:00:00Z");
    const a = priceAlert({
      rule: r,
      massFactor: 1000,
      tick: t,
      quoteUnit: "CNY/t",
      prevPrice: 444000,
      fx: { instrument: "USDCNY", rate: 7.2, ts: "2025-02-25T01:00:00Z", invert: false },
      change: undefined,
    });
    AlertSchema.parse(a);
    expect(a.text.split("\n")).toEqual([
      "PRND_OXIDE is at 447,000 CNY/t, at or above 62 USD/kg.",
      "Price: 447,000 CNY/t at 2025-02-25T02:00:00Z from smm.",
      "Threshold: 62 USD/kg = 446,400 CNY/t at USDCNY 7.2 (2025-02-25T01:00:00Z).",
      "Note: NdPr breakout",
    ]);
    expect(a.note).toBe("NdPr breakout");
  });

  it("explains a change alert with the reference, the change in percent and amount, and the rule", () => {
    const r = rule("tb5pct00", "TB_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" });
    const a = priceAlert({
      rule: r,
      massFactor: 1,
      tick: tick("TB_OXIDE", 6475, "2025-02-28"),
      quoteUnit: "CNY/kg",
      prevPrice: 6400,
      fx: undefined,
      change: { refPrice: 5940, refTs: "2025-01-27T00:00:00Z", pct: ((6475 - 5940) / 5940) * 100, abs: 535 },
    });
    expect(a.text.split("\n")).toEqual([
      "TB_OXIDE rose 9.01% in 30d: from 5,940 CNY/kg (2025-01-27T00:00:00Z) to 6,475 CNY/kg (2025-02-28T00:00:00Z).",
      "Price: 6,475 CNY/kg at 2025-02-28T00:00:00Z from smm.",
      "Reference: 5,940 CNY/kg at 2025-01-27T00:00:00Z, the latest price at or before 30d earlier.",
      "Change: +9.01% (+535 CNY/kg); rule: up 5% in 30d.",
    ]);
    expect(a.change).toEqual({ pct: 9.01, abs: 535 });
  });

  it("builds a valid stale alert even with no price ever received", () => {
    const a = staleAlert(
      rule("stale1d0", "Y_OXIDE", { type: "stale", after: "1d" }),
      "CNY/t",
      undefined,
      0,
      Date.parse("2025-01-03T00:00:00Z"),
    );
    AlertSchema.parse(a);
    expect(a.text).toContain("No Y_OXIDE price has arrived for 2d (rule: stale after 1d).");
  });

  it("writes durations for people", () => {
    expect(humanDuration(93_600_000)).toBe("1d 2h");
    expect(humanDuration(15 * 60_000)).toBe("15m");
    expect(humanDuration(3_690_000)).toBe("1h 1m");
    expect(humanDuration(45_000)).toBe("45s");
    expect(humanDuration(0)).toBe("0s");
  });
});
