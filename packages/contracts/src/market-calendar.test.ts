import { describe, expect, it } from "vitest";
import { INSTRUMENT_CATALOGUE } from "./instruments.js";
import { calendarForInstrument, marketCalendar } from "./market-calendar.js";
import { HolidayTableSchema, MARKET_HOLIDAYS, mergeHolidayTables } from "./market-holidays.js";

/** An instant given as Shanghai/Hong Kong wall time (UTC+8). */
const cst = (local: string): number => Date.parse(`${local}+08:00`);
const MIN = 60_000;

describe("mainland exchange calendar (cn)", () => {
  const cn = marketCalendar("cn");

  it("trades on a normal Wednesday, in the morning and afternoon sessions only", () => {
    expect(cn.isTradingDay("2026-11-18")).toBe(true);
    expect(cn.isOpen(cst("2026-11-18T09:29:59"))).toBe(false);
    expect(cn.isOpen(cst("2026-11-18T09:30:00"))).toBe(true);
    expect(cn.isOpen(cst("2026-11-18T12:00:00"))).toBe(false); // lunch break
    expect(cn.isOpen(cst("2026-11-18T14:00:00"))).toBe(true);
    expect(cn.isOpen(cst("2026-11-18T15:00:00"))).toBe(false);
  });

  it("is closed on a Saturday", () => {
    expect(cn.isTradingDay("2026-11-21")).toBe(false);
    expect(cn.isOpen(cst("2026-11-21T10:00:00"))).toBe(false);
  });

  it("is closed on the mainland holidays, including make-up working days", () => {
    expect(cn.isTradingDay("2026-10-05")).toBe(false); // National Day week, a Monday
    expect(cn.isTradingDay("2026-02-18")).toBe(false); // Spring Festival
    expect(cn.isTradingDay("2026-02-24")).toBe(true); // first day after it
    expect(cn.isTradingDay("2026-02-28")).toBe(false); // a Saturday worked by offices, not by the exchanges
  });

  it("counts only session time between two instants", () => {
    expect(cn.openMsBetween(cst("2026-11-18T11:29:00"), cst("2026-11-18T13:01:00"))).toBe(2 * MIN);
    // Friday close to Monday's first minute
    expect(cn.openMsBetween(cst("2026-11-20T14:59:00"), cst("2026-11-23T09:31:00"))).toBe(2 * MIN);
    // the whole Spring Festival holiday adds nothing
    expect(cn.openMsBetween(cst("2026-02-13T15:00:00"), cst("2026-02-24T09:30:00"))).toBe(0);
    expect(cn.openMsBetween(cst("2026-11-18T09:00:00"), cst("2026-11-18T16:00:00"))).toBe(240 * MIN);
    expect(cn.openMsBetween(cst("2026-11-18T16:00:00"), cst("2026-11-18T09:00:00"))).toBe(0);
  });

  it("gives the local date of an instant in Shanghai time", () => {
    expect(cn.localDate(Date.parse("2026-11-21T16:30:00Z"))).toBe("2026-11-22");
    expect(cn.localDate(Date.parse("2026-11-21T15:59:59Z"))).toBe("2026-11-21");
  });

  it("says which years its holiday table covers", () => {
    expect(cn.hasHolidayData(2026)).toBe(true);
    expect(cn.hasHolidayData(2030)).toBe(false);
  });
});

describe("agency business days (daily)", () => {
  const daily = marketCalendar("daily");

  it("publishes on weekdays and make-up working days, not on holidays or weekends", () => {
    expect(daily.isTradingDay("2026-11-18")).toBe(true);
    expect(daily.isTradingDay("2026-02-28")).toBe(true); // make-up working Saturday
    expect(daily.isTradingDay("2026-11-21")).toBe(false);
    expect(daily.isTradingDay("2026-10-05")).toBe(false);
    expect(daily.isOpen(cst("2026-11-18T23:59:00"))).toBe(true);
    expect(daily.openMsBetween(cst("2026-11-20T12:00:00"), cst("2026-11-23T06:00:00"))).toBe(18 * 60 * MIN);
  });
});

describe("Hong Kong exchange calendar (hk)", () => {
  const hk = marketCalendar("hk");

  it("trades until 16:00 with a lunch break, and on mainland-only holidays", () => {
    expect(hk.isOpen(cst("2026-11-18T15:30:00"))).toBe(true);
    expect(hk.isOpen(cst("2026-11-18T12:30:00"))).toBe(false);
    expect(hk.isTradingDay("2026-10-05")).toBe(true);
    expect(hk.isTradingDay("2026-04-03")).toBe(false); // Good Friday
  });

  it("has only a morning session on Christmas Eve", () => {
    expect(hk.isOpen(cst("2026-12-24T11:00:00"))).toBe(true);
    expect(hk.isOpen(cst("2026-12-24T14:00:00"))).toBe(false);
    expect(hk.sessionsOn("2026-12-24")).toEqual([[cst("2026-12-24T09:30:00"), cst("2026-12-24T12:00:00")]]);
  });
});

describe("always-open calendar", () => {
  it("is open on a Saturday night", () => {
    const always = marketCalendar("always");
    expect(always.isOpen(cst("2026-11-21T23:00:00"))).toBe(true);
    expect(always.openMsBetween(0, 5 * MIN)).toBe(5 * MIN);
  });
});

describe("holiday table", () => {
  it("lets an operator replace a year and keeps the other years", () => {
    const table = mergeHolidayTables(MARKET_HOLIDAYS, { cn: { "2026": { closed: ["2026-11-18"] } } });
    const cn = marketCalendar("cn", table);
    expect(cn.isTradingDay("2026-11-18")).toBe(false);
    expect(cn.isTradingDay("2026-10-05")).toBe(true); // the replaced year no longer lists National Day
    expect(cn.isTradingDay("2025-10-06")).toBe(false); // 2025 untouched
  });

  it("names a malformed date", () => {
    const bad = HolidayTableSchema.safeParse({ hk: { "2026": { closed: ["2026-02-30", "2026-05-02..2026-05-01"] } } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["hk.2026.closed.0", "hk.2026.closed.1"]);
  });
});

describe("calendar of an instrument", () => {
  it("follows the instrument's kind and market", () => {
    const byId = Object.fromEntries(INSTRUMENT_CATALOGUE.map((i) => [i.id, calendarForInstrument(i)]));
    expect(byId).toMatchObject({
      PRND_OXIDE: "daily",
      SH600111: "cn",
      SZ300748: "cn",
      HK00769: "hk",
      USDCNY: "always",
    });
  });
});
