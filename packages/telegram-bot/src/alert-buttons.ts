/**
 * The inline buttons under an alert message and their callback data
 * (`pause:<ruleId>`, `delete:<ruleId>`), which the bot handles.
 */
import type { OutgoingMessage } from "@rea/channels";
import { RULE_ID_PATTERN } from "@rea/contracts";

export type ButtonAction = "pause" | "delete";

/** Buttons for an alert of `ruleId`, in the shape of a channel message's `buttons`. */
export function alertButtons(ruleId: string): NonNullable<OutgoingMessage["buttons"]> {
  return [
    [
      { text: "Pause rule", callbackData: `pause:${ruleId}` },
      { text: "Delete rule", callbackData: `delete:${ruleId}` },
    ],
  ];
}

/** The action and rule of a button press, or undefined for data the bot does not know. */
export function parseButtonData(data: string): { action: ButtonAction; ruleId: string } | undefined {
  const m = /^(pause|delete):(.+)$/.exec(data);
  if (m === null || !RULE_ID_PATTERN.test(m[2] ?? "")) return undefined;
  return { action: m[1] as ButtonAction, ruleId: m[2] ?? "" };
}
