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

/** Sorts decisions into the documented order (the reference evaluator's; the engine's come from a DecisionList). */
export function sortDecisions(out: Decision[]): Decision[] {
  return out.sort(compareDecisions);
}

/**
 * The first n of `out` as a new array in the documented order, from the
 * order key of each (orderKey of its rule id): up to SHORT of them by an
 * insertion sort of the keys and more by a radix sort (radixOrder).
 * Decisions whose keys tie (ids that share their first seven characters)
 * are put in order by compareDecisions; the index keeps the sort stable.
 */
function sortedByKeys(out: readonly Decision[], n: number, keys: ArrayLike<number>): Decision[] {
  const idx = n > SHORT ? radixOrder(keys, n) : shortOrder(keys, n);
  for (let from = 0; from < n;) {
    const k = keys[idx[from] as number] as number;
    let to = from + 1;
    while (to < n && keys[idx[to] as number] === k) to++;
    if (to - from > 1) sortRun(idx, from, to, out, keys);
    from = to;
  }
  const sorted = new Array<Decision>(n);
  for (let i = 0; i < n; i++) sorted[i] = out[idx[i] as number] as Decision;
  return sorted;
}

/**
 * The decisions of the price or clock step being evaluated, each with the
 * order key of its rule id (orderKey), in storage reused from step to step
 * that only grows. A price that fires tens of thousands of rules would grow
 * a new array past the size the collector keeps with small objects, and each
 * step of that growth would be fresh memory, mapped page by page.
 */
export class DecisionList {
  private readonly items: Array<Decision | undefined> = [];
  private keys = new Float64Array(64);
  length = 0;

  push(d: Decision, key: number): void {
    const n = this.length;
    if (n === this.keys.length) {
      const keys = new Float64Array(n * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    this.keys[n] = key;
    this.items[n] = d;
    this.length = n + 1;
  }

  /** forgets what was pushed (after a step that did not finish) */
  clear(): void {
    this.drop(this.length);
  }

  /** the decisions in the documented order (see sortedByKeys), as a new array; the list is then empty */
  drain(): Decision[] {
    const n = this.length;
    if (n === 0) return [];
    const items = this.items as Decision[];
    const sorted = n === 1 ? [items[0] as Decision] : sortedByKeys(items, n, this.keys);
    this.drop(n);
    return sorted;
  }

  /** empties the list, letting go of its first n decisions */
  private drop(n: number): void {
    for (let i = 0; i < n; i++) this.items[i] = undefined;
    this.length = 0;
  }
}

/** decisions up to this many are sorted by insertion, more by radix */
const SHORT = 64;
/** a key below 2^49 (orderKey) as 8-bit digits: three in its low 24 bits, four in the rest */
const DIGITS = 7;
const RADIX = 256;
const LOW = 2 ** 24;

/** reused by the sorts, grown to the largest step seen */
let order = new Int32Array(64);
let spare = new Int32Array(64);
let lows = new Int32Array(64);
let highs = new Int32Array(64);
const counts = new Int32Array(DIGITS * RADIX);

function count(at: number): void {
  counts[at] = (counts[at] as number) + 1;
}

/** 0..n-1 in the order of their keys, stable (n <= SHORT): an insertion sort */
function shortOrder(keys: ArrayLike<number>, n: number): Int32Array {
  const idx = order;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    let j = i - 1;
    while (j >= 0 && (keys[idx[j] as number] as number) > k) {
      idx[j + 1] = idx[j] as number;
      j--;
    }
    idx[j + 1] = i;
  }
  return idx;
}

/**
 * 0..n-1 in the order of their full keys, stable: a least significant digit
 * first radix sort, one pass per 8-bit digit, that skips every digit all the
 * keys share (the "r_" each rule id starts with fills the top ones). O(n),
 * where a comparison sort of the thousands of decisions of one price that
 * crosses many thresholds costs O(n log n).
 */
function radixOrder(keys: ArrayLike<number>, n: number): Int32Array {
  if (order.length < n) {
    const capacity = 2 ** Math.ceil(Math.log2(n));
    order = new Int32Array(capacity);
    spare = new Int32Array(capacity);
    lows = new Int32Array(capacity);
    highs = new Int32Array(capacity);
  }
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    const hi = Math.floor(k / LOW);
    const lo = k - hi * LOW;
    lows[i] = lo;
    highs[i] = hi;
    count(lo & 255);
    count(RADIX + ((lo >>> 8) & 255));
    count(2 * RADIX + ((lo >>> 16) & 255));
    count(3 * RADIX + (hi & 255));
    count(4 * RADIX + ((hi >>> 8) & 255));
    count(5 * RADIX + ((hi >>> 16) & 255));
    count(6 * RADIX + ((hi >>> 24) & 255));
  }
  let from = order;
  let to = spare;
  for (let i = 0; i < n; i++) from[i] = i;
  for (let d = 0; d < DIGITS; d++) {
    const base = d * RADIX;
    const digits = d < 3 ? lows : highs;
    const shift = 8 * (d < 3 ? d : d - 3);
    // a digit all keys share leaves the order as it is
    if (counts[base + (((digits[0] as number) >>> shift) & 255)] === n) continue;
    let sum = 0;
    for (let b = base; b < base + RADIX; b++) {
      const c = counts[b] as number;
      counts[b] = sum;
      sum += c;
    }
    for (let j = 0; j < n; j++) {
      const i = from[j] as number;
      const at = base + (((digits[i] as number) >>> shift) & 255);
      const p = counts[at] as number;
      counts[at] = p + 1;
      to[p] = i;
    }
    const t = from;
    from = to;
    to = t;
  }
  order = from;
  spare = to;
  return from;
}

/** sorts idx[from, to) by full key, then decision order, then index (insertion sort for short runs) */
function sortRun(idx: Int32Array, from: number, to: number, out: readonly Decision[], keys: ArrayLike<number>): void {
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
