import { describe, expect, it } from "vitest";
import { Harness, alertsOf, rule, tick } from "./test-support/fixtures.js";
import type { Decision } from "./types.js";

/** the ts of minute `min` of 2025-03-03 (a busy day: a price a minute) */
const minute = (min: number): string => new Date(Date.parse("2025-03-03T00:00:00Z") + min * 60_000).toISOString();

/** when each alert fired, and the ts of its reference */
function firedAgainst(ds: Decision[]): Array<[string | undefined, string | undefined]> {
  return alertsOf(ds).map((a) => [a.firedAt, a.reference?.ts]);
}

describe("change rules", () => {
  it("fires on 2025-02-28 with +6.99% against the 2025-01-27 price (the SMM worked example)", () => {
    const h = new Harness().upsert(
      rule("prnd5pct", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
    );
    expect(h.price(tick("PRND_OXIDE", 415000, "2025-01-27"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 444000, "2025-02-28")));
    expect(a).toMatchObject({
      title: "PRND_OXIDE up 6.99% in 30d",
      reference: { value: 415000, ts: "2025-01-27T00:00:00Z" },
      change: { pct: 6.99, abs: 29000 },
      firedAt: "2025-02-28T00:00:00Z",
    });
    expect(a?.threshold).toBeUndefined();
    expect(a?.text).toContain(
      "PRND_OXIDE rose 6.99% in 30d: from 415,000 CNY/t (2025-01-27T00:00:00Z) to 444,000 CNY/t (2025-02-28T00:00:00Z).",
    );
    expect(a?.text).toContain("Change: +6.99% (+29,000 CNY/t); rule: up 5% in 30d.");
  });

  it("TB_OXIDE 5940 -> 6475 (+9.01%) fires a 5% rule; DY_OXIDE 1665 -> 1710 (+2.70%) does not, but fires a 2.5% one", () => {
    const h = new Harness().upsert(
      rule("tb5pct00", "TB_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
      rule("dy5pct00", "DY_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
      rule("dy25pct0", "DY_OXIDE", { type: "change", direction: "any", pct: 2.5, window: "30d" }),
    );
    h.prices(tick("TB_OXIDE", 5940, "2025-01-27"), tick("DY_OXIDE", 1665, "2025-01-27"));
    expect(alertsOf(h.price(tick("TB_OXIDE", 6475, "2025-02-28"))).map((a) => [a.title, a.change?.pct])).toEqual([
      ["TB_OXIDE up 9.01% in 30d", 9.01],
    ]);
    expect(alertsOf(h.price(tick("DY_OXIDE", 1710, "2025-02-28"))).map((a) => [a.ruleId, a.title])).toEqual([
      ["r_dy25pct0", "DY_OXIDE up 2.70% in 30d"],
    ]);
  });

  it("measures against a price that fired nothing and became the reference (DY_OXIDE 1665 -> 1640 -> 1690, +3.05%)", () => {
    const h = new Harness().upsert(
      rule("dy2pct01", "DY_OXIDE", { type: "change", direction: "up", pct: 2, window: { obs: 1 } }),
    );
    // +1.50% over 1665 alone, but the 1640 in between is the reference of the last price
    expect(h.prices(tick("DY_OXIDE", 1665, "2025-01-27"), tick("DY_OXIDE", 1640, "2025-01-28"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("DY_OXIDE", 1690, "2025-01-29")));
    expect(a).toMatchObject({
      reference: { value: 1640, ts: "2025-01-28T00:00:00Z" },
      change: { pct: 3.05, abs: 50 },
    });
  });

  it("is not evaluated until history covers the window, and says it waits for history", () => {
    const h = new Harness().upsert(
      rule("prnd5pct", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
    );
    expect(h.state("prnd5pct")).toMatchObject({ status: "waiting", waitingFor: "price" });
    expect(h.prices(tick("PRND_OXIDE", 415000, "2025-02-10"), tick("PRND_OXIDE", 444000, "2025-02-28"))).toEqual([]);
    expect(h.state("prnd5pct")).toMatchObject({ status: "waiting", waitingFor: "history" });
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 440000, "2025-03-13")));
    expect(a?.reference).toEqual({ value: 415000, ts: "2025-02-10T00:00:00Z" });
    expect(h.state("prnd5pct")?.status).toBe("disarmed");
  });

  it("takes the latest price at or before ts - window as the reference", () => {
    const h = new Harness().upsert(
      rule("prnd1d00", "PRND_OXIDE", { type: "change", direction: "any", pct: 1, window: "1d" }),
    );
    h.prices(
      tick("PRND_OXIDE", 400000, "2025-03-01T00:00:00Z"),
      tick("PRND_OXIDE", 410000, "2025-03-01T12:00:00Z"),
      tick("PRND_OXIDE", 420000, "2025-03-01T18:00:00Z"),
    );
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 430000, "2025-03-02T12:00:00Z")));
    expect(a?.reference).toEqual({ value: 410000, ts: "2025-03-01T12:00:00Z" });
    expect(a?.change?.pct).toBe(4.88);
  });

  it("down and any fire on a fall; the title says the actual direction", () => {
    const h = new Harness().upsert(
      rule("prnddown", "PRND_OXIDE", { type: "change", direction: "down", pct: 5, window: "30d" }),
      rule("prndanyy", "PRND_OXIDE", { type: "change", direction: "any", pct: 5, window: "30d" }),
      rule("prnduppp", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
    );
    h.price(tick("PRND_OXIDE", 444000, "2025-01-27"));
    const titles = alertsOf(h.price(tick("PRND_OXIDE", 415000, "2025-02-28"))).map((a) => [
      a.ruleId,
      a.title,
      a.change,
    ]);
    expect(titles).toEqual([
      ["r_prndanyy", "PRND_OXIDE down 6.53% in 30d", { pct: -6.53, abs: -29000 }],
      ["r_prnddown", "PRND_OXIDE down 6.53% in 30d", { pct: -6.53, abs: -29000 }],
    ]);
  });

  it("abs: fires on a move of 20,000 CNY/t and states the threshold", () => {
    const h = new Harness().upsert(
      rule("prndabs0", "PRND_OXIDE", { type: "change", direction: "up", abs: 20000, window: "30d" }),
    );
    h.price(tick("PRND_OXIDE", 415000, "2025-01-27"));
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 444000, "2025-02-28")));
    expect(a).toMatchObject({
      title: "PRND_OXIDE up 29,000 CNY/t in 30d",
      threshold: { value: 20000, unit: "CNY/t", quoteValue: 20000, quoteUnit: "CNY/t" },
    });
  });

  it("an observation window compares with N prices back: HK00769 +29.41% in one day", () => {
    const h = new Harness().upsert(
      rule("hk20pct0", "HK00769", { type: "change", direction: "up", pct: 20, window: { obs: 1 } }),
    );
    h.price(tick("HK00769", 3.4, "2025-04-14T08:00:00Z"));
    const [a] = alertsOf(h.price(tick("HK00769", 4.4, "2025-04-15T08:00:00Z")));
    expect(a?.title).toBe("HK00769 up 29.41% over 1 price");
    expect(a?.text).toContain("Reference: 3.4 HKD/share at 2025-04-14T08:00:00Z, 1 price back.");
  });

  it("re-arms when the change falls back under the threshold minus the band", () => {
    const h = new Harness().upsert(
      rule(
        "hkrearm0",
        "HK00769",
        { type: "change", direction: "up", pct: 5, window: { obs: 1 } },
        { rearm: { abs: 1 } },
      ),
    );
    const fired = (p: number, at: string): number => alertsOf(h.price(tick("HK00769", p, at))).length;
    h.price(tick("HK00769", 4, "2025-04-01"));
    expect(fired(4.24, "2025-04-02")).toBe(1);
    expect(fired(4.42, "2025-04-03")).toBe(0);
    expect(h.state("hkrearm0")?.status).toBe("disarmed");
    expect(fired(4.5, "2025-04-04")).toBe(0);
    expect(h.state("hkrearm0")?.status).toBe("armed");
    expect(fired(4.8, "2025-04-05")).toBe(1);
  });

  it("an {obs: 40} window whose reference becomes a price that came after the last evaluation still fires", () => {
    // a flat run long enough that the history was compacted (its block holds older prices past the newest),
    // then a fall to 430,000 held for more than 40 prices: those become the reference, and 452,000 is +5.12%
    // (prices that came after the quiet box was built, which it must not have read ahead for)
    const at = (i: number): string => new Date(Date.parse("2025-01-01T00:00:00Z") + i * 3_600_000).toISOString();
    for (let flat = 360; flat < 400; flat++) {
      const h = new Harness().upsert(
        rule("obs40up5", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: { obs: 40 } }),
      );
      let i = 0;
      for (; i < flat; i++) h.price(tick("PRND_OXIDE", 450000, at(i)));
      for (const end = i + 45; i < end; i++) expect(h.price(tick("PRND_OXIDE", 430000, at(i)))).toEqual([]);
      const [a] = alertsOf(h.price(tick("PRND_OXIDE", 452000, at(i))));
      expect({ flat, reference: a?.reference?.value, pct: a?.change?.pct }).toEqual({
        flat,
        reference: 430000,
        pct: 5.12,
      });
    }
  });

  it("on a busy instrument, fires when an old dip becomes the reference, wherever the dip lies against the ranges read ahead", () => {
    // a price a minute at 1700 but for two dips to 1660: 60 prices after each, the dip is the reference
    // of a 1h or {obs: 60} window (+2.41%). The first dip, before the window has a reference, sets the
    // engine reading each window's references a range of 32 at a time from then on; moving the second
    // across 141 positions puts it at every place in those ranges, the first and last reference each
    // holds and the one just after.
    for (const window of ["1h", { obs: 60 }] as const) {
      for (let dip = 100; dip <= 240; dip++) {
        const h = new Harness().upsert(
          rule("dydip001", "DY_OXIDE", { type: "change", direction: "up", pct: 2, window }),
        );
        const fired: Array<[string | undefined, string | undefined]> = [];
        for (let min = 0; min <= dip + 70; min++) {
          const price = min === 20 || min === dip ? 1660 : 1700;
          fired.push(...firedAgainst(h.price(tick("DY_OXIDE", price, minute(min)))));
        }
        expect(fired, `${JSON.stringify(window)}, dip at minute ${dip}`).toEqual([
          [minute(80), minute(20)],
          [minute(dip + 60), minute(dip)],
        ]);
      }
    }
  });

  it("a late price makes an {obs: 60} window reach its references one price earlier, whatever box was standing", () => {
    // as above, with a price 30 seconds late at some minute after the second dip: it becomes one of
    // the 60 prices back, so the dip at minute 119 is the reference at minute 178 instead of 179
    for (let lateAt = 121; lateAt <= 177; lateAt++) {
      const h = new Harness().upsert(
        rule("dylate01", "DY_OXIDE", { type: "change", direction: "up", pct: 2, window: { obs: 60 } }),
      );
      const fired: Array<[string | undefined, string | undefined]> = [];
      for (let min = 0; min <= 190; min++) {
        fired.push(...firedAgainst(h.price(tick("DY_OXIDE", min === 20 || min === 119 ? 1660 : 1700, minute(min)))));
        if (min === lateAt) fired.push(...firedAgainst(h.price(tick("DY_OXIDE", 1700, minute(min - 0.5)))));
      }
      expect(fired, `late price at minute ${lateAt}`).toEqual([
        [minute(80), minute(20)],
        [minute(178), minute(119)],
      ]);
    }
  });

  it("a late dip among the references a 1h window has read ahead becomes its reference and fires", () => {
    // a price a minute at 1700 (a first dip at minute 20 as above); at minute 100 a dip to 1660 arrives
    // late, stamped 20 to 59 minutes back, beside the price of that minute: the latest of the two, it is
    // the reference an hour after its stamp
    for (let lateBy = 20; lateBy <= 59; lateBy++) {
      const h = new Harness().upsert(
        rule("dylate02", "DY_OXIDE", { type: "change", direction: "up", pct: 2, window: "1h" }),
      );
      const fired: Array<[string | undefined, string | undefined]> = [];
      for (let min = 0; min <= 170; min++) {
        fired.push(...firedAgainst(h.price(tick("DY_OXIDE", min === 20 ? 1660 : 1700, minute(min)))));
        if (min === 100) fired.push(...firedAgainst(h.price(tick("DY_OXIDE", 1660, minute(min - lateBy)))));
      }
      expect(fired, `late dip stamped ${lateBy} minutes back`).toEqual([
        [minute(80), minute(20)],
        [minute(160 - lateBy), minute(100 - lateBy)],
      ]);
    }
  });
});
