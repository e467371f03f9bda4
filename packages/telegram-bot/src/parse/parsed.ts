/** The result of a pure command parser: a value, or a message that tells the user what to fix. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Parsed<T> => ({ ok: false, error });

/** Splits command arguments on whitespace, dropping empty pieces. */
export function tokens(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .filter((t) => t !== "");
}

/** First issue of a zod result, as `path: message` (or just the message at the root). */
export function firstIssue(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  const issue = issues[0];
  if (issue === undefined) return "the command is not valid";
  const path = issue.path.map(String).join(".");
  return path === "" ? issue.message : `${path}: ${issue.message}`;
}

const NUMBER = /^((?:\d{1,3}(?:[,_]\d{3})+)|\d+)(\.\d+)?(k|m)?$/i;

/**
 * A positive number as people type it: `450000`, `450,000`, `450_000`, `450k`, `1.5m`, `37.12`.
 * Returns undefined for anything else.
 */
export function parseAmount(token: string): number | undefined {
  const m = NUMBER.exec(token);
  if (m === null) return undefined;
  const whole = (m[1] ?? "").replace(/[,_]/g, "");
  const value = Number(`${whole}${m[2] ?? ""}`);
  const factor = m[3] === undefined ? 1 : m[3].toLowerCase() === "k" ? 1_000 : 1_000_000;
  const scaled = value * factor;
  return Number.isFinite(scaled) && scaled > 0 ? scaled : undefined;
}
