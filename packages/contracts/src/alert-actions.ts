/**
 * What the buttons under a Telegram alert do, and their callback data: the
 * notifier builds them, the bot parses the press. Callback data is
 * `<action>:<ruleId>` (`pause:r_8Zk2...`, `delete:r_8Zk2...`), well under
 * Telegram's 64-byte limit.
 */
import { RULE_ID_PATTERN } from "./rule.js";

export const ALERT_ACTIONS = ["pause", "delete"] as const;
export type AlertAction = (typeof ALERT_ACTIONS)[number];

/** One inline button: its label and its callback data. */
export interface AlertActionButton {
  text: string;
  callbackData: string;
}

const LABELS: Record<AlertAction, string> = { pause: "Pause rule", delete: "Delete rule" };

/** @example alertActionData("pause", "r_8Zk2mQ4xT1aB9cD0") // "pause:r_8Zk2mQ4xT1aB9cD0" */
export const alertActionData = (action: AlertAction, ruleId: string): string => `${action}:${ruleId}`;

/** The action and rule of a button press, or undefined for data that is not an alert action. */
export function parseAlertActionData(data: string): { action: AlertAction; ruleId: string } | undefined {
  const m = /^([a-z]+):(.+)$/.exec(data);
  const action = ALERT_ACTIONS.find((a) => a === m?.[1]);
  const ruleId = m?.[2] ?? "";
  if (action === undefined || !RULE_ID_PATTERN.test(ruleId)) return undefined;
  return { action, ruleId };
}

/** The keyboard under an alert of `ruleId`: one row, Pause then Delete. */
export function alertActionButtons(ruleId: string): AlertActionButton[][] {
  return [ALERT_ACTIONS.map((action) => ({ text: LABELS[action], callbackData: alertActionData(action, ruleId) }))];
}
