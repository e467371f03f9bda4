/**
 * Turns a message into Telegram HTML and splits it into parts of at most 4096
 * characters at line breaks, so no part breaks markup (tags never span lines).
 */
import type { OutgoingMessage } from "../channel.js";

export const TELEGRAM_MAX_CHARS = 4096;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function formatTelegram(m: OutgoingMessage, max = TELEGRAM_MAX_CHARS): string[] {
  const lines = [`<b>${escapeHtml(m.subject)}</b>`, ...m.text.split("\n").map(escapeHtml)];
  const parts: string[] = [];
  let current = "";
  for (const raw of lines) {
    // a single line longer than a part is cut at the limit, never inside an entity
    let line = raw;
    while (line.length > max) {
      let cut = max;
      const amp = line.lastIndexOf("&", cut);
      if (amp > cut - 6) cut = amp;
      if (current !== "") {
        parts.push(current);
        current = "";
      }
      parts.push(line.slice(0, cut));
      line = line.slice(cut);
    }
    const next = current === "" ? line : `${current}\n${line}`;
    if (next.length > max) {
      parts.push(current);
      current = line;
    } else {
      current = next;
    }
  }
  if (current !== "") parts.push(current);
  return parts;
}
