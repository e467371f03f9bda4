/** Parsers for the small commands: rule ids, instruments, quiet hours and mutes. */
import { QuietHoursSchema, RuleIdSchema, durationMs } from "@rea/contracts";
import type { QuietHours } from "@rea/contracts";
import { fail, firstIssue, ok, tokens } from "./parsed.js";
import type { Parsed } from "./parsed.js";
import { parseDuration, parseInstrumentId } from "./watch-parser.js";

export const MUTE_MIN_MS = 60_000;
export const MUTE_MAX_MS = 30 * 86_400_000;

/** The rule id argument of `/pause`, `/resume` and `/delete`. */
export function parseRuleId(text: string, command: string): Parsed<string> {
  const [id, extra] = tokens(text);
  if (id === undefined)
    return fail(`which rule? e.g. /${command} r_8Zk2mQ4xT1aB9cD0 (/list shows your rules with their ids)`);
  if (extra !== undefined) return fail(`one rule at a time, e.g. /${command} ${id}`);
  const parsed = RuleIdSchema.safeParse(id);
  return parsed.success
    ? ok(parsed.data)
    : fail(`"${id}" is not a rule id: ids look like r_8Zk2mQ4xT1aB9cD0 (/list shows your rules with their ids)`);
}

/** The instrument argument of `/price`. */
export function parsePriceArgs(text: string): Parsed<string> {
  const [id, extra] = tokens(text);
  if (id === undefined) return fail("which instrument? e.g. /price PRND_OXIDE (/instruments lists them)");
  if (extra !== undefined) return fail(`one instrument at a time, e.g. /price ${id.toUpperCase()}`);
  return parseInstrumentId(id);
}

const CLOCK = /^([0-9]{1,2}):([0-9]{2})$/;

function clock(token: string): string {
  const m = CLOCK.exec(token);
  return m === null ? token : `${(m[1] ?? "").padStart(2, "0")}:${m[2] ?? ""}`;
}

/**
 * `/quiet 22:00-07:00` → quiet hours; `/quiet off` → null (no quiet hours).
 * @example parseQuiet("22:00-7:00") // ok: { start: "22:00", end: "07:00" }
 */
export function parseQuiet(text: string): Parsed<QuietHours | null> {
  const words = tokens(text.replace(/[–—]/g, "-").replace(/\s*-\s*/g, " "));
  const first = words[0]?.toLowerCase();
  if (first === undefined) return fail("when? e.g. /quiet 22:00-07:00, or /quiet off");
  if ((first === "off" || first === "none") && words.length === 1) return ok(null);
  if (words.length !== 2) return fail(`"${text.trim()}" is not a time range: write /quiet 22:00-07:00, or /quiet off`);
  const candidate = { start: clock(words[0] ?? ""), end: clock(words[1] ?? "") };
  const parsed = QuietHoursSchema.safeParse(candidate);
  if (!parsed.success) return fail(`${firstIssue(parsed.error.issues)}, e.g. /quiet 22:00-07:00`);
  if (parsed.data.start === parsed.data.end) return fail("start and end are the same time: e.g. /quiet 22:00-07:00");
  return ok(parsed.data);
}

/**
 * `/mute 2h` → how long to mute; `/mute off` → null (unmute).
 * @example parseMute("2h") // ok: { duration: "2h", ms: 7_200_000 }
 */
export function parseMute(text: string): Parsed<{ duration: string; ms: number } | null> {
  const words = tokens(text);
  const first = words[0];
  if (first === undefined) return fail("for how long? e.g. /mute 2h, /mute 1d, or /mute off");
  if (first.toLowerCase() === "off" && words.length === 1) return ok(null);
  if (words.length !== 1) return fail(`"${text.trim()}" is not a duration: e.g. /mute 2h, or /mute off`);
  const d = parseDuration(first, "the duration");
  if (!d.ok) return fail(`${d.error}, e.g. /mute 2h`);
  const ms = durationMs(d.value);
  if (ms < MUTE_MIN_MS) return fail("mute for at least a minute, e.g. /mute 30m");
  if (ms > MUTE_MAX_MS) return fail("mute for at most 30 days (30d); /pause stops a rule for good");
  return ok({ duration: d.value, ms });
}
