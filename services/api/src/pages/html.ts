/** Small pieces for the server-rendered pages: escaping, and CSP hashes of inline code. */
import { createHash } from "node:crypto";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for HTML element content and quoted attribute values. */
export function esc(value: unknown): string {
  const text = typeof value === "string" ? value : value === undefined ? "" : JSON.stringify(value);
  return (text ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/** `'sha256-...'` for a Content-Security-Policy that allows exactly this inline script or style. */
export function cspHash(inline: string): string {
  return `'sha256-${createHash("sha256").update(inline, "utf8").digest("base64")}'`;
}

/** Headers every page gets: no caching, no sniffing, no framing, no referrer. */
export function pageHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
  };
}

/** "45 s", "12 min", "3 h", "2 d": an age for people. */
export function age(seconds: number | null): string {
  if (seconds === null) return "never";
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

export const BASE_STYLE = `
body{font:14px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:72rem;padding:0 1rem;color:#1d2430}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #dde2ea;vertical-align:top}
th{background:#f3f5f8}code,pre{font-family:ui-monospace,monospace;font-size:12.5px}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;max-height:24rem}
.bad{color:#a21b1b;font-weight:600}.muted{color:#66707d}
.method{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
`;
