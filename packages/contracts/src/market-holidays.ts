/**
 * Exchange holidays as data, so an operator can correct or extend them (a feeds
 * file may carry a `holidays` table in this shape; a year given there replaces
 * the built-in entry for that market and year).
 *
 * Dates are the market's local dates (`YYYY-MM-DD`), or ranges `YYYY-MM-DD..YYYY-MM-DD`
 * (both ends included). Weekends are closed anyway and need not be listed.
 *
 * - `cn`: mainland public holidays as announced by the State Council General
 *   Office each autumn for the next year; the Shanghai and Shenzhen exchanges
 *   close on every weekday of each holiday period and do NOT trade on the
 *   make-up working days (`workdays`), which are business days for price
 *   agencies (the "daily" calendar) only.
 * - `hk`: Hong Kong general holidays on which HKEX does not trade, and the
 *   half days (Christmas Eve, New Year's Eve, Lunar New Year's Eve: morning
 *   session only).
 */
import { z } from "zod";

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function isRealDate(d: string): boolean {
  const m = DATE_PATTERN.exec(d);
  if (!m) return false;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === d;
}

export const MarketDateSchema = z.string().refine(isRealDate, 'a date is "YYYY-MM-DD", e.g. "2026-10-01"');

const DateOrRangeSchema = z.string().refine((s) => {
  const [from, to, extra] = s.split("..");
  if (extra !== undefined || from === undefined || !isRealDate(from)) return false;
  return to === undefined || (isRealDate(to) && to >= from);
}, 'a date "YYYY-MM-DD" or a range "YYYY-MM-DD..YYYY-MM-DD" (first day not after the last)');

export const HolidayYearSchema = z.strictObject({
  /** days (or ranges) the market is closed besides weekends */
  closed: z.array(DateOrRangeSchema).max(400),
  /** weekend days worked in exchange for a holiday: business days, yet the exchanges stay closed */
  workdays: z.array(MarketDateSchema).max(60).default([]),
  /** days with a morning session only */
  halfDays: z.array(MarketDateSchema).max(60).default([]),
  /** where the dates come from */
  source: z.string().max(500).optional(),
});
export type HolidayYear = z.infer<typeof HolidayYearSchema>;

const YearSchema = z.string().regex(/^\d{4}$/, 'years are keys like "2026"');

export const HolidayTableSchema = z.strictObject({
  cn: z.record(YearSchema, HolidayYearSchema).default({}),
  hk: z.record(YearSchema, HolidayYearSchema).default({}),
});
export type HolidayTable = z.infer<typeof HolidayTableSchema>;
export type HolidayTableInput = z.input<typeof HolidayTableSchema>;

/** Every single date of a list of dates and ranges. */
export function expandDates(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const [from, to] = entry.split("..") as [string, string | undefined];
    let ms = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to ?? from}T00:00:00Z`);
    for (; ms <= end; ms += 86_400_000) out.push(new Date(ms).toISOString().slice(0, 10));
  }
  return out;
}

/** A year listed in `override` replaces that market's built-in year. */
export function mergeHolidayTables(base: HolidayTable, override: HolidayTableInput | undefined): HolidayTable {
  if (override === undefined) return base;
  const o = HolidayTableSchema.parse(override);
  return { cn: { ...base.cn, ...o.cn }, hk: { ...base.hk, ...o.hk } };
}

/**
 * The built-in table. The 2025 and 2026 mainland dates follow the State Council
 * General Office holiday notices (published November 2024 and November 2025)
 * and the matching SSE/SZSE closure notices; the Hong Kong dates follow the
 * HKSAR general holidays list and HKEX's trading calendar. Check them against
 * the exchanges' own notices each year and correct them through the feeds file.
 */
export const MARKET_HOLIDAYS: HolidayTable = {
  cn: {
    "2025": {
      closed: [
        "2025-01-01", // New Year's Day
        "2025-01-28..2025-02-04", // Spring Festival
        "2025-04-04..2025-04-06", // Qingming
        "2025-05-01..2025-05-05", // Labour Day
        "2025-05-31..2025-06-02", // Dragon Boat
        "2025-10-01..2025-10-08", // National Day and Mid-Autumn
      ],
      workdays: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
      halfDays: [],
      source: "State Council General Office notice on the 2025 holidays (Nov 2024); SSE/SZSE closure notices",
    },
    "2026": {
      closed: [
        "2026-01-01..2026-01-03", // New Year's Day
        "2026-02-15..2026-02-23", // Spring Festival
        "2026-04-04..2026-04-06", // Qingming
        "2026-05-01..2026-05-05", // Labour Day
        "2026-06-19..2026-06-21", // Dragon Boat
        "2026-09-25..2026-09-27", // Mid-Autumn
        "2026-10-01..2026-10-07", // National Day
      ],
      workdays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
      halfDays: [],
      source: "State Council General Office notice on the 2026 holidays (Nov 2025); SSE/SZSE closure notices",
    },
  },
  hk: {
    "2025": {
      closed: [
        "2025-01-01",
        "2025-01-29..2025-01-31", // Lunar New Year
        "2025-04-04", // Ching Ming
        "2025-04-18", // Good Friday
        "2025-04-21", // Easter Monday
        "2025-05-01",
        "2025-05-05", // Buddha's Birthday
        "2025-07-01",
        "2025-10-01",
        "2025-10-07", // day following Mid-Autumn
        "2025-10-29", // Chung Yeung
        "2025-12-25..2025-12-26",
      ],
      workdays: [],
      halfDays: ["2025-01-28", "2025-12-24", "2025-12-31"],
      source: "HKSAR general holidays 2025; HKEX trading calendar",
    },
    "2026": {
      closed: [
        "2026-01-01",
        "2026-02-17..2026-02-19", // Lunar New Year
        "2026-04-03", // Good Friday
        "2026-04-06..2026-04-07", // day following Ching Ming (a Sunday), Easter Monday
        "2026-05-01",
        "2026-05-25", // day following Buddha's Birthday (a Sunday)
        "2026-06-19", // Tuen Ng
        "2026-07-01",
        "2026-10-01",
        "2026-10-19", // day following Chung Yeung (a Sunday)
        "2026-12-25",
      ],
      workdays: [],
      halfDays: ["2026-02-16", "2026-12-24", "2026-12-31"],
      source: "HKSAR general holidays 2026; HKEX trading calendar",
    },
  },
};
