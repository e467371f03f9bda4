/**
 * The inline buttons under an alert message and their callback data
 * (`pause:<ruleId>`, `delete:<ruleId>`), which the bot handles. The format is
 * defined once in @rea/contracts, where the notifier builds the buttons.
 */
import type { OutgoingMessage } from "@rea/channels";
import { alertActionButtons, parseAlertActionData } from "@rea/contracts";
import type { AlertAction } from "@rea/contracts";

export type ButtonAction = AlertAction;

/** Buttons for an alert of `ruleId`, in the shape of a channel message's `buttons`. */
export function alertButtons(ruleId: string): NonNullable<OutgoingMessage["buttons"]> {
  return alertActionButtons(ruleId);
}

/** The action and rule of a button press, or undefined for data the bot does not know. */
export function parseButtonData(data: string): { action: ButtonAction; ruleId: string } | undefined {
  return parseAlertActionData(data);
}
