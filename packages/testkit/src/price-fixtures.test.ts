import { describe, expect, it } from "vitest";
import { BAOTOU_2026, EQUITY_MOVES, PRND_OXIDE_ONE_YEAR_HIGH, SMM_2025, fixturePrice } from "./price-fixtures.js";

const pctChange = (from: number, to: number): number => Math.round(((to - from) / from) * 100 * 100) / 100;

function change(instrument: string, from: string, to: string): number {
  return pctChange(fixturePrice(instrument, from).price, fixturePrice(instrument, to).price);
}

describe("price fixtures", () => {
  it("reproduce the quoted SMM moves from 27 January to 28 February 2025", () => {
    expect(change("PRND_OXIDE", "2025-01-27", "2025-02-28")).toBe(6.99);
    expect(change("TB_OXIDE", "2025-01-27", "2025-02-28")).toBe(9.01);
    expect(change("DY_OXIDE", "2025-01-27", "2025-02-28")).toBe(2.7);
  });

  it("quote SMM prices in their market units at midnight UTC", () => {
    expect(fixturePrice("PRND_ALLOY", "2025-03-11")).toEqual({
      instrument: "PRND_ALLOY",
      price: 544_000,
      unit: "CNY/t",
      ts: "2025-03-11T00:00:00Z",
      source: "smm",
    });
    expect(SMM_2025.filter((f) => f.instrument === "DY_OXIDE").map((f) => f.unit)).toEqual([
      "CNY/kg",
      "CNY/kg",
      "CNY/kg",
    ]);
    expect(SMM_2025).toHaveLength(11);
  });

  it("record the February 2025 one-year high without inventing its price", () => {
    expect(PRND_OXIDE_ONE_YEAR_HIGH).toEqual({ date: "2025-02-25", above: 450_000 });
    expect(() => fixturePrice("PRND_OXIDE", PRND_OXIDE_ONE_YEAR_HIGH.date)).toThrow(
      "No price fixture for PRND_OXIDE on 2025-02-25",
    );
    expect(Math.max(...SMM_2025.filter((f) => f.instrument === "PRND_OXIDE").map((f) => f.price))).toBeLessThan(
      PRND_OXIDE_ONE_YEAR_HIGH.above,
    );
  });

  it("give Baotou prices for 28 January 2026 and the implied end-2025 levels", () => {
    expect(fixturePrice("ND_OXIDE", "2026-01-28")).toMatchObject({ price: 732_500, unit: "CNY/t", source: "baotou" });
    expect(fixturePrice("ND_OXIDE", "2025-12-31").price).toBe(610_000);
    expect(fixturePrice("PR_OXIDE", "2025-12-31").price).toBe(611_500);
    expect(fixturePrice("Y_OXIDE", "2025-12-31").price).toBe(57_700);
    expect(BAOTOU_2026.every((f) => f.price % 100 === 0)).toBe(true);
  });

  it("let a change rule see the quoted Baotou rises, within the rounding of the derived base", () => {
    // The end-2025 base is rounded to 100 CNY/t, which moves Y_OXIDE's 33.46% by 0.01 point.
    expect(change("ND_OXIDE", "2025-12-31", "2026-01-28")).toBeCloseTo(20.08, 1);
    expect(change("PR_OXIDE", "2025-12-31", "2026-01-28")).toBeCloseTo(19.92, 1);
    expect(change("Y_OXIDE", "2025-12-31", "2026-01-28")).toBeCloseTo(33.46, 1);
  });

  it("quote equity moves as percentages only", () => {
    expect(EQUITY_MOVES.map(({ instrument, pct }) => ({ instrument, pct }))).toEqual([
      { instrument: "HK00769", pct: 29.41 },
      { instrument: "HK06680", pct: 2.71 },
    ]);
    expect(EQUITY_MOVES.every((m) => !("price" in m))).toBe(true);
  });

  it("throws for an instrument that has no fixture on the date", () => {
    expect(() => fixturePrice("TB_OXIDE", "2024-01-01")).toThrow(/TB_OXIDE on 2024-01-01/);
  });
});
