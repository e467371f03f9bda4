import { INSTRUMENT_CATALOGUE } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { OutlierGuard, defaultMaxMovePct } from "./outlier-guard.js";

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe("outlier guard", () => {
  it("has default limits by kind: rare earths 15%, A-shares 21%, Hong Kong 60%, FX 5%", () => {
    const limits = Object.fromEntries(INSTRUMENT_CATALOGUE.map((i) => [i.id, defaultMaxMovePct(i)]));
    expect(limits).toMatchObject({ PRND_OXIDE: 15, TB_OXIDE: 15, SH600111: 21, SZ300748: 21, HK00769: 60, USDCNY: 5 });
    expect(defaultMaxMovePct(undefined)).toBeUndefined();
  });

  it("lets moves within the limit through and holds a bigger one as suspect", () => {
    const g = new OutlierGuard();
    expect(g.check("HK00769", { price: 0.51, tsMs: day("2025-02-27") }, 60)).toEqual({ verdict: "ok" });
    g.accept("HK00769", { price: 0.51, tsMs: day("2025-02-27") });
    // the quoted +29.41% day passes the Hong Kong limit
    expect(g.check("HK00769", { price: 0.66, tsMs: day("2025-02-28") }, 60).verdict).toBe("ok");
    g.accept("HK00769", { price: 0.66, tsMs: day("2025-02-28") });
    const typo = g.check("HK00769", { price: 6.6, tsMs: day("2025-03-03") }, 60);
    expect(typo).toMatchObject({
      verdict: "suspect",
      reference: { price: 0.66, tsMs: day("2025-02-28") },
      limitPct: 60,
      repeat: false,
    });
    expect(typo.verdict === "suspect" && typo.movePct).toBeCloseTo(900);
  });

  it("recognises the same suspect price sent again", () => {
    const g = new OutlierGuard();
    g.accept("PRND_OXIDE", { price: 444000, tsMs: day("2025-02-28") });
    const typo = { price: 4440000, tsMs: day("2025-03-03") };
    expect(g.check("PRND_OXIDE", typo, 15)).toMatchObject({ verdict: "suspect", repeat: false });
    expect(g.check("PRND_OXIDE", typo, 15)).toMatchObject({ verdict: "suspect", repeat: true });
    // the next day's normal price clears the held one
    expect(g.check("PRND_OXIDE", { price: 445000, tsMs: day("2025-03-04") }, 15).verdict).toBe("ok");
  });

  it("accepts a real move once the next observation confirms the held price", () => {
    const g = new OutlierGuard();
    g.accept("Y_OXIDE", { price: 57700, tsMs: day("2025-12-31") });
    expect(g.check("Y_OXIDE", { price: 77000, tsMs: day("2026-01-28") }, 15).verdict).toBe("suspect");
    expect(g.check("Y_OXIDE", { price: 77500, tsMs: day("2026-01-29") }, 15)).toMatchObject({
      verdict: "confirmed",
      reference: { price: 57700 },
    });
  });

  it("does not judge observations older than its reference, nor instruments without a limit", () => {
    const g = new OutlierGuard();
    g.accept("TB_OXIDE", { price: 6475, tsMs: day("2025-02-28") });
    expect(g.check("TB_OXIDE", { price: 100, tsMs: day("2025-01-27") }, 15).verdict).toBe("ok");
    g.accept("TB_OXIDE", { price: 5940, tsMs: day("2025-01-27") });
    expect(g.check("TB_OXIDE", { price: 9000, tsMs: day("2025-03-03") }, undefined).verdict).toBe("ok");
    // the older accepted price did not replace the reference
    expect(g.check("TB_OXIDE", { price: 7000, tsMs: day("2025-03-03") }, 15).verdict).toBe("ok");
  });

  it("starts from the stored last price when it has one", () => {
    const g = new OutlierGuard();
    expect(g.knows("SH600111")).toBe(false);
    g.seed("SH600111", { price: 23.58, tsMs: day("2025-02-28") });
    expect(g.knows("SH600111")).toBe(true);
    expect(g.check("SH600111", { price: 30, tsMs: day("2025-03-03") }, 21).verdict).toBe("suspect");
  });
});
