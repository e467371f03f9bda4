/** What a user reads: an alert as email or Telegram content. */
import type { OutgoingMessage } from "@rea/channels";
import type { Alert } from "@rea/contracts";

export function alertMessage(alert: Alert): OutgoingMessage {
  const footer = ["", `Rule ${alert.ruleId} (revision ${alert.ruleRevision})`, `Alert id ${alert.id}`];
  return { subject: alert.title, text: [alert.text, ...footer].join("\n"), reference: alert.id };
}
