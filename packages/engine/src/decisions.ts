/** Decision order and small helpers shared by the engine and the reference evaluator. */
import type { Decision, FinishReason } from "./types.js";

/**
 * The documented order of the decisions of one price or one clock step: by
 * rule id (code-unit order), and for one rule its alert before its
 * `rule_finished`.
 */
export function compareDecisions(a: Decision, b: Decision): number {
  const ra = a.ruleId;
  const rb = b.ruleId;
  if (ra !== rb) return ra < rb ? -1 : 1;
  if (a.kind === b.kind) return 0;
  return a.kind === "alert" ? -1 : 1;
}

export function sortDecisions(out: Decision[]): Decision[] {
  if (out.length > 1) out.sort(compareDecisions);
  return out;
}

export function finished(ruleId: string, revision: number, reason: FinishReason): Decision {
  return { kind: "rule_finished", ruleId, revision, reason };
}

/**
 * Whether a rule that fired at `lastFiredMs` is still in its cooldown at `nowMs`.
 *
 * @example isCooling(0, 3_600_000, 1_800_000) // true
 */
export function isCooling(lastFiredMs: number, cooldownMs: number, nowMs: number): boolean {
  return cooldownMs > 0 && nowMs < lastFiredMs + cooldownMs;
}
