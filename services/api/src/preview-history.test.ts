import type { Condition } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import type { StoredPrice } from "./deps.js";
import { lookbackStart } from "./preview-history.js";

const days = ["2025-01-01", "2025-01-10", "2025-01-20", "2025-02-01", "2025-02-10", "2025-02-20"];
const prices: StoredPrice[] = days.map((d, i) => ({
  instrument: "TB_OXIDE",
  price: 6000 + i,
  unit: "CNY/kg",
  ts: `${d}T00:00:00Z`,
  source: "smm",
  seq: i + 1,
}));
const from = Date.parse("2025-02-05T00:00:00Z");
const at = (c: Condition) => prices[lookbackStart(prices, from, c)]?.ts.slice(0, 10);

describe("what a preview looks back on before `from`", () => {
  it("starts at `from` for level rules", () => {
    expect(at({ type: "above", value: 1 })).toBe("2025-02-10");
  });

  it("keeps the previous price for cross and stale rules", () => {
    expect(at({ type: "cross_up", value: 1 })).toBe("2025-02-01");
    expect(at({ type: "stale", after: "2d" })).toBe("2025-02-01");
  });

  it("keeps the change window and the reference at or before its start", () => {
    expect(at({ type: "change", direction: "up", pct: 5, window: "20d" })).toBe("2025-01-10");
    expect(at({ type: "change", direction: "up", pct: 5, window: { obs: 2 } })).toBe("2025-01-20");
    expect(at({ type: "change", direction: "up", pct: 5, window: "90d" })).toBe("2025-01-01");
  });

  it("starts at the oldest price without `from`", () => {
    expect(lookbackStart(prices, undefined, { type: "above", value: 1 })).toBe(0);
  });
});
