/**
 * When a market is open. Pure: every function takes the time it is asked about.
 *
 * - `cn`: Shanghai/Shenzhen trading days (weekdays outside the mainland holidays),
 *   sessions 09:30-11:30 and 13:00-15:00 Asia/Shanghai.
 * - `hk`: HKEX trading days, sessions 09:30-12:00 and 13:00-16:00 Asia/Hong_Kong
 *   (morning only on half days).
 * - `daily`: Chinese business days (weekdays outside the mainland holidays, plus
 *   the make-up working days), the whole day: price agencies such as SMM.
 * - `always`: never closed (FX, simulations).
 *
 * Mainland and Hong Kong time are both UTC+8 without daylight saving, so local
 * dates are computed with that fixed offset.
 */
import { z } from "zod";
import type { Instrument } from "./instruments.js";
import { MARKET_HOLIDAYS, expandDates } from "./market-holidays.js";
import type { HolidayTable } from "./market-holidays.js";

export const MarketCalendarIdSchema = z.enum(["cn", "hk", "daily", "always"], {
  error: 'a calendar is "cn", "hk", "daily" or "always"',
});
export type MarketCalendarId = z.infer<typeof MarketCalendarIdSchema>;

const DAY_MS = 86_400_000;
const UTC8_MS = 8 * 3_600_000;
/** the longest span `openMsBetween` walks day by day */
const MAX_SPAN_DAYS = 3_660;

type Session = readonly [startMinute: number, endMinute: number];
const CN_SESSIONS: readonly Session[] = [
  [9 * 60 + 30, 11 * 60 + 30],
  [13 * 60, 15 * 60],
];
const HK_SESSIONS: readonly Session[] = [
  [9 * 60 + 30, 12 * 60],
  [13 * 60, 16 * 60],
];
const HK_HALF_DAY: readonly Session[] = [[9 * 60 + 30, 12 * 60]];
const WHOLE_DAY: readonly Session[] = [[0, 24 * 60]];

export interface MarketCalendar {
  readonly id: MarketCalendarId;
  /** the market's local date (`YYYY-MM-DD`) at an instant */
  localDate(atMs: number): string;
  /** whether the market trades (or, for `daily`, the agencies publish) on a local date */
  isTradingDay(date: string): boolean;
  /** whether the market is in session at an instant */
  isOpen(atMs: number): boolean;
  /** how long the market was in session between two instants */
  openMsBetween(fromMs: number, toMs: number): number;
  /** the sessions of a local date as [start, end) instants; empty on a closed day */
  sessionsOn(date: string): Array<[number, number]>;
  /** whether the holiday table covers a year (outside it only weekends close the market) */
  hasHolidayData(year: number): boolean;
}

const weekday = (date: string): number => new Date(`${date}T00:00:00Z`).getUTCDay();
const isWeekend = (date: string): boolean => weekday(date) === 0 || weekday(date) === 6;
const nextDate = (date: string): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

function daySet(years: HolidayTable["cn"], pick: "closed" | "workdays" | "halfDays"): Set<string> {
  return new Set(Object.values(years).flatMap((y) => expandDates(y[pick])));
}

/**
 * The calendar for an id, over the built-in holiday table or a corrected one.
 * @example marketCalendar("cn").isTradingDay("2026-10-05") // false: National Day
 */
export function marketCalendar(id: MarketCalendarId, table: HolidayTable = MARKET_HOLIDAYS): MarketCalendar {
  const years = id === "hk" ? table.hk : id === "always" ? {} : table.cn;
  const closed = daySet(years, "closed");
  const workdays = daySet(years, "workdays");
  const halfDays = daySet(years, "halfDays");

  const isTradingDay = (date: string): boolean => {
    if (id === "always") return true;
    if (id === "daily" && workdays.has(date)) return true;
    return !isWeekend(date) && !closed.has(date);
  };
  const sessionsOf = (date: string): readonly Session[] => {
    if (!isTradingDay(date)) return [];
    if (id === "cn") return CN_SESSIONS;
    if (id === "hk") return halfDays.has(date) ? HK_HALF_DAY : HK_SESSIONS;
    return WHOLE_DAY;
  };
  const offset = id === "always" ? 0 : UTC8_MS;
  const localDate = (atMs: number): string => new Date(atMs + offset).toISOString().slice(0, 10);
  const sessionsOn = (date: string): Array<[number, number]> => {
    const midnight = Date.parse(`${date}T00:00:00Z`) - offset;
    return sessionsOf(date).map(([s, e]) => [midnight + s * 60_000, midnight + e * 60_000]);
  };

  return {
    id,
    localDate,
    isTradingDay,
    sessionsOn,
    isOpen: (atMs) => sessionsOn(localDate(atMs)).some(([s, e]) => atMs >= s && atMs < e),
    openMsBetween: (fromMs, toMs) => {
      if (!(toMs > fromMs)) return 0;
      if (id === "always") return toMs - fromMs;
      const from = Math.max(fromMs, toMs - MAX_SPAN_DAYS * DAY_MS);
      let total = 0;
      const last = localDate(toMs);
      for (let day = localDate(from); day <= last; day = nextDate(day)) {
        for (const [s, e] of sessionsOn(day)) total += Math.max(0, Math.min(e, toMs) - Math.max(s, from));
      }
      return total;
    },
    hasHolidayData: (year) => id === "always" || String(year) in years,
  };
}

/** The calendar an instrument's prices follow, from its kind and market. */
export function calendarForInstrument(instrument: Pick<Instrument, "kind" | "market">): MarketCalendarId {
  if (instrument.kind === "fx") return "always";
  if (instrument.kind === "rare_earth") return "daily";
  return instrument.market === "HKEX" ? "hk" : "cn";
}
