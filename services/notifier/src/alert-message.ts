/** What a user reads: an alert as email or Telegram content. */
import type { OutgoingMessage } from "@rea/channels";
import { alertActionButtons } from "@rea/contracts";
import type { Alert } from "@rea/contracts";

/** The alert with its rule and id as a footer; Telegram shows Pause/Delete buttons for the rule (email ignores them). */
export function alertMessage(alert: Alert): OutgoingMessage {
  const footer = ["", `Rule ${alert.ruleId} (revision ${alert.ruleRevision})`, `Alert id ${alert.id}`];
  return {
    subject: alert.title,
    text: [alert.text, ...footer].join("\n"),
    reference: alert.id,
    buttons: alertActionButtons(alert.ruleId),
  };
}
