import { describe, expect, it } from "vitest";
import { inQuietHours, localMinutes, quietHoursLabel } from "./quiet-hours.js";

const at = (iso: string): number => Date.parse(iso);
const NIGHT = { start: "22:00", end: "07:00" };

describe("local time of day", () => {
  it("reads the wall clock of the timezone, midnight as 0", () => {
    expect(localMinutes(at("2025-03-11T14:30:00Z"), "Asia/Shanghai")).toBe(22 * 60 + 30);
    expect(localMinutes(at("2025-03-11T16:00:00Z"), "Asia/Shanghai")).toBe(0);
    expect(localMinutes(at("2025-03-11T16:00:00Z"), "UTC")).toBe(16 * 60);
    expect(localMinutes(at("2025-03-11T05:45:00Z"), "Asia/Kolkata")).toBe(11 * 60 + 15);
  });

  it("follows daylight saving time", () => {
    expect(localMinutes(at("2025-01-15T08:00:00Z"), "Europe/Berlin")).toBe(9 * 60);
    expect(localMinutes(at("2025-07-15T08:00:00Z"), "Europe/Berlin")).toBe(10 * 60);
  });
});

describe("quiet hours", () => {
  it("a window crossing midnight in Asia/Shanghai holds from its start to just before its end", () => {
    const quiet = (iso: string) => inQuietHours(NIGHT, "Asia/Shanghai", at(iso));
    expect(quiet("2025-03-11T13:59:00Z")).toBe(false); // 21:59
    expect(quiet("2025-03-11T14:00:00Z")).toBe(true); // 22:00
    expect(quiet("2025-03-11T15:59:00Z")).toBe(true); // 23:59
    expect(quiet("2025-03-11T16:00:00Z")).toBe(true); // 00:00 next day
    expect(quiet("2025-03-11T22:59:59Z")).toBe(true); // 06:59:59
    expect(quiet("2025-03-11T23:00:00Z")).toBe(false); // 07:00
    expect(quiet("2025-03-12T04:00:00Z")).toBe(false); // noon
  });

  it("a window within one day holds between its ends", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(inQuietHours(lunch, "Europe/Berlin", at("2025-07-15T09:59:00Z"))).toBe(false); // 11:59 CEST
    expect(inQuietHours(lunch, "Europe/Berlin", at("2025-07-15T10:00:00Z"))).toBe(true); // 12:00
    expect(inQuietHours(lunch, "Europe/Berlin", at("2025-07-15T11:29:00Z"))).toBe(true); // 13:29
    expect(inQuietHours(lunch, "Europe/Berlin", at("2025-07-15T11:30:00Z"))).toBe(false); // 13:30
    expect(inQuietHours(lunch, "Europe/Berlin", at("2025-01-15T11:00:00Z"))).toBe(true); // 12:00 CET
  });

  it("the same instant is quiet in one timezone and not in another", () => {
    const instant = at("2025-03-11T15:00:00Z"); // 23:00 in Shanghai, 16:00 in Berlin
    expect(inQuietHours(NIGHT, "Asia/Shanghai", instant)).toBe(true);
    expect(inQuietHours(NIGHT, "Europe/Berlin", instant)).toBe(false);
  });

  it("a window whose end is skipped by the spring-forward jump ends at the jump", () => {
    // New York, 9 March 2025: 02:00 EST becomes 03:00 EDT
    const early = { start: "01:00", end: "02:30" };
    expect(inQuietHours(early, "America/New_York", at("2025-03-09T06:59:00Z"))).toBe(true); // 01:59 EST
    expect(inQuietHours(early, "America/New_York", at("2025-03-09T07:00:00Z"))).toBe(false); // 03:00 EDT
  });

  it("there is no window when quiet hours are unset, when start equals end, or the timezone is unknown", () => {
    const instant = at("2025-03-11T15:00:00Z");
    expect(inQuietHours(undefined, "Asia/Shanghai", instant)).toBe(false);
    expect(inQuietHours({ start: "22:00", end: "22:00" }, "Asia/Shanghai", instant)).toBe(false);
    expect(inQuietHours(NIGHT, "Mars/Olympus_Mons", instant)).toBe(false);
  });

  it("is labelled with its ends and timezone", () => {
    expect(quietHoursLabel(NIGHT, "Asia/Shanghai")).toBe("22:00-07:00 Asia/Shanghai");
  });
});
