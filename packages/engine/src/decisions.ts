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
 * Sorts decisions into the documented order. With `keys` (its first n for
 * the n decisions, from orderKey of each rule id) the sort is a native sort
 * of numbers: each key, with its low bits dropped so that the decision's
 * index fits beside it in a double, packed with that index. Decisions whose
 * shortened keys tie are put in order by their full keys and then by
 * compareDecisions; the index keeps the sort stable.
 */
export function sortDecisions(out: Decision[], keys?: ArrayLike<number>): Decision[] {
  const n = out.length;
  if (n < 2) return out;
  if (keys === undefined || keys.length < n) return out.sort(compareDecisions);
  let bits = 1;
  while (2 ** bits < n) bits++;
  // keys are below 2^49 and a double holds integers up to 2^53 exactly
  const drop = bits > 4 ? 2 ** (bits - 4) : 1;
  const slots = 2 ** bits;
  if (scratch.length < n) {
    scratch = new Float64Array(2 ** bits);
    order = new Int32Array(2 ** bits);
  }
  const packed = scratch;
  for (let i = 0; i < n; i++) packed[i] = Math.floor((keys[i] as number) / drop) * slots + i;
  if (n > 32) {
    packed.subarray(0, n).sort();
  } else {
    for (let i = 1; i < n; i++) {
      const v = packed[i] as number;
      let j = i - 1;
      while (j >= 0 && (packed[j] as number) > v) {
        packed[j + 1] = packed[j] as number;
        j--;
      }
      packed[j + 1] = v;
    }
  }
  const idx = order;
  for (let i = 0; i < n; i++) idx[i] = (packed[i] as number) % slots;
  for (let from = 0; from < n;) {
    const run = Math.floor((packed[from] as number) / slots);
    let to = from + 1;
    while (to < n && Math.floor((packed[to] as number) / slots) === run) to++;
    if (to - from > 1) sortRun(idx, from, to, out, keys);
    from = to;
  }
  const sorted = new Array<Decision>(n);
  for (let i = 0; i < n; i++) sorted[i] = out[idx[i] as number] as Decision;
  return sorted;
}

/** reused by sortDecisions, grown to the largest step seen */
let scratch = new Float64Array(64);
let order = new Int32Array(64);

/** sorts idx[from, to) by full key, then decision order, then index (insertion sort for short runs) */
function sortRun(idx: Int32Array, from: number, to: number, out: Decision[], keys: ArrayLike<number>): void {
  const cmp = (a: number, b: number): number =>
    (keys[a] as number) - (keys[b] as number) || compareDecisions(out[a] as Decision, out[b] as Decision) || a - b;
  if (to - from > 16) {
    const run = Array.from(idx.subarray(from, to)).sort(cmp);
    idx.set(run, from);
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const v = idx[i] as number;
    let j = i - 1;
    while (j >= from && cmp(v, idx[j] as number) < 0) {
      idx[j + 1] = idx[j] as number;
      j--;
    }
    idx[j + 1] = v;
  }
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
