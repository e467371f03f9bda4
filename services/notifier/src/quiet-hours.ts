/**
 * Quiet hours in the user's timezone: "22:00"-"07:00" is a window that crosses
 * midnight, "09:00"-"17:00" one that does not, and equal ends mean no window.
 * The local time comes from Intl (the platform's timezone data), so daylight
 * saving is handled by the wall clock: a window whose end is skipped by a
 * spring-forward jump ends at the jump.
 */
import type { QuietHours } from "@rea/contracts";

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formats.set(timeZone, f);
  }
  return f;
}

/** Minutes since local midnight (0-1439) at `nowMs` in `timeZone`; throws RangeError for an unknown timezone. */
export function localMinutes(nowMs: number, timeZone: string): number {
  let hour = 0;
  let minute = 0;
  for (const p of formatFor(timeZone).formatToParts(new Date(nowMs))) {
    if (p.type === "hour") hour = Number(p.value) % 24;
    else if (p.type === "minute") minute = Number(p.value);
  }
  return hour * 60 + minute;
}

const clockMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Whether `nowMs` falls inside the quiet hours, read in `timeZone`. The start
 * minute is inside, the end minute is not. No window (unset, or start equal to
 * end) and an unknown timezone both mean "not quiet": an alert is never held
 * on a window that cannot be computed.
 */
export function inQuietHours(quiet: QuietHours | undefined, timeZone: string, nowMs: number): boolean {
  if (quiet === undefined) return false;
  const start = clockMinutes(quiet.start);
  const end = clockMinutes(quiet.end);
  if (start === end) return false;
  let now: number;
  try {
    now = localMinutes(nowMs, timeZone);
  } catch {
    return false;
  }
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/** @example quietHoursLabel({ start: "22:00", end: "07:00" }, "Asia/Shanghai") // "22:00-07:00 Asia/Shanghai" */
export const quietHoursLabel = (quiet: QuietHours, timeZone: string): string =>
  `${quiet.start}-${quiet.end} ${timeZone}`;
