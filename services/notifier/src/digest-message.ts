/** The one message that releases a channel's held alerts when quiet hours end. */
import type { OutgoingMessage } from "@rea/channels";
import type { Alert, User } from "@rea/contracts";
import { quietHoursLabel } from "./quiet-hours.js";

const SHORT_LINE = 200;

/** The first line of an alert's explanation, shortened to fit a digest. */
function shortLine(alert: Alert): string {
  const first = alert.text.split("\n", 1)[0] ?? "";
  return first.length > SHORT_LINE ? `${first.slice(0, SHORT_LINE - 1)}…` : first;
}

/**
 * "3 alerts while quiet hours were on (22:00-07:00 Asia/Shanghai)" as subject
 * (Telegram's bold first line), then each alert's title and first line, oldest
 * first and newest last. Telegram splits a long digest into several messages.
 */
export function digestMessage(
  alerts: readonly Alert[],
  quiet: Pick<User, "quietHours" | "timezone"> | undefined,
  reference: string,
): OutgoingMessage {
  const n = alerts.length;
  const window = quiet?.quietHours === undefined ? "" : ` (${quietHoursLabel(quiet.quietHours, quiet.timezone)})`;
  const lines = alerts.flatMap((a, i) => [...(i === 0 ? [] : [""]), `• ${a.title}`, `  ${shortLine(a)}`]);
  return {
    subject: `${n} alert${n === 1 ? "" : "s"} while quiet hours were on${window}`,
    text: lines.join("\n"),
    reference,
  };
}

/** Digest order: by firing time, then by when they were held, then by id. */
export function digestOrder(a: { alert: Alert; heldAt: string }, b: { alert: Alert; heldAt: string }): number {
  return (
    Date.parse(a.alert.firedAt) - Date.parse(b.alert.firedAt) ||
    Date.parse(a.heldAt) - Date.parse(b.heldAt) ||
    a.alert.id.localeCompare(b.alert.id)
  );
}
