/** Turns the services' pino JSON lines into short, prefixed, readable lines. */
const LEVELS: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };
const COLORS = ["\x1b[36m", "\x1b[35m", "\x1b[33m", "\x1b[32m", "\x1b[34m", "\x1b[31m"];
const RESET = "\x1b[0m";
const SKIP = new Set(["level", "time", "pid", "hostname", "service", "msg"]);

export function makePrefix(name: string, index: number, color: boolean): string {
  const label = name.padEnd(9);
  return color ? `${COLORS[index % COLORS.length] ?? ""}${label}${RESET}` : label;
}

function brief(v: unknown): string {
  if (typeof v === "string") return /\s/.test(v) ? JSON.stringify(v) : v;
  if (v !== null && typeof v === "object" && "message" in v) return JSON.stringify(v.message);
  return JSON.stringify(v);
}

/** One log line as `HH:MM:SS service  LEVEL message key=value ...`; non-JSON lines pass through. */
export function formatLine(prefix: string, line: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return `${prefix} ${line}`;
  }
  const time = typeof rec.time === "string" ? rec.time.slice(11, 19) : "";
  const level = LEVELS[Number(rec.level)] ?? "     ";
  const extras = Object.entries(rec)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${brief(v)}`)
    .join(" ");
  return `${time} ${prefix} ${level} ${typeof rec.msg === "string" ? rec.msg : ""}${extras ? ` ${extras}` : ""}`;
}
