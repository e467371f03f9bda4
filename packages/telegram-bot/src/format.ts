/** How the bot writes rules, prices and times in plain-text replies. */
import type { Condition, Rule, Window } from "@rea/contracts";

export const TELEGRAM_MAX_CHARS = 4096;

/** `450000` → `450,000`; `37.125` → `37.125`. */
export function formatAmount(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 6 });
}

function describeWindow(w: Window): string {
  return typeof w === "string" ? w : `${w.obs} prices`;
}

/** A condition in words, with amounts in `unit`: `above 450,000 CNY/t`, `up 5% in 30d`. */
export function describeCondition(c: Condition, unit: string): string {
  switch (c.type) {
    case "above":
    case "below":
    case "cross_up":
    case "cross_down":
      return `${c.type} ${formatAmount(c.value)} ${unit}`;
    case "change": {
      const size = c.pct === undefined ? `${formatAmount(c.abs ?? 0)} ${unit}` : `${formatAmount(c.pct)}%`;
      return `${c.direction} ${size} in ${describeWindow(c.window)}`;
    }
    case "stale":
      return `no price for ${c.after}`;
  }
}

/** One line per rule for `/list`: id, instrument, condition and what is special about it. */
export function ruleLine(rule: Rule): string {
  const extras = [
    rule.enabled ? undefined : "paused",
    rule.once ? "once" : undefined,
    rule.cooldown === undefined ? undefined : `cooldown ${rule.cooldown}`,
    rule.note === undefined ? undefined : `“${rule.note}”`,
  ].filter((x) => x !== undefined);
  const tail = extras.length === 0 ? "" : ` (${extras.join(", ")})`;
  return `${rule.id}  ${rule.instrument} ${describeCondition(rule.condition, rule.unit)}${tail}`;
}

/** `2025-02-28T00:00:00Z` in Asia/Shanghai → `2025-02-28 08:00 Asia/Shanghai`. */
export function formatTime(iso: string, timezone: string): string {
  const date = new Date(iso);
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    }).formatToParts(date);
  } catch {
    return formatTime(iso, "UTC");
  }
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")} ${timezone}`;
}

/** Splits a reply into Telegram-sized parts at line breaks (a longer line is cut). */
export function splitMessage(text: string, max = TELEGRAM_MAX_CHARS): string[] {
  const parts: string[] = [];
  let current = "";
  for (const raw of text.split("\n")) {
    let line = raw;
    while (line.length > max) {
      if (current !== "") parts.push(current);
      current = "";
      parts.push(line.slice(0, max));
      line = line.slice(max);
    }
    const next = current === "" ? line : `${current}\n${line}`;
    if (next.length > max) {
      parts.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current.trim() !== "") parts.push(current);
  return parts;
}
