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

/**
 * Sorts decisions into the documented order. With `keys` (one per decision,
 * from orderKey of its rule id) most comparisons are of two numbers and never
 * read the id strings; equal keys fall back to compareDecisions.
 */
export function sortDecisions(out: Decision[], keys?: readonly number[]): Decision[] {
  const n = out.length;
  if (n < 2) return out;
  if (keys?.length !== n) return out.sort(compareDecisions);
  const idx: number[] = [];
  for (let i = 0; i < n; i++) idx.push(i);
  idx.sort(
    (a, b) => (keys[a] as number) - (keys[b] as number) || compareDecisions(out[a] as Decision, out[b] as Decision),
  );
  return idx.map((i) => out[i] as Decision);
}

/**
 * A number whose order agrees with the code-unit order of ids: the first
 * seven code units (capped at 127, a missing one as 0) in base 128, exact in
 * a double. Ids with equal keys are compared as strings.
 *
 * @example orderKey("r_8Zk2mQ") < orderKey("r_8Zk2mR") // true
 */
export function orderKey(id: string): number {
  let k = 0;
  for (let i = 0; i < 7; i++) {
    const c = i < id.length ? id.charCodeAt(i) : 0;
    k = k * 128 + (c > 127 ? 127 : c);
  }
  return k;
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
