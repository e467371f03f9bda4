/**
 * Per-rule runtime state as struct-of-arrays indexed by an integer handle, so
 * a million rules cost a few typed arrays instead of a million objects.
 */
import type { Rule } from "@rea/contracts";
import { TS_CODE, isoForm, isoTs } from "./price-history.js";

export const PHASE = {
  FREE: 0,
  /** in its ladder's armed index */
  ARMED: 1,
  /** in its ladder's disarmed index, waiting to re-arm */
  DISARMED: 2,
  /** armed, its condition met during the cooldown: in the instrument's cooldown heap */
  COOLING: 3,
  /** stale rule: in its book's stale index (fired in the current gap when its staleGap is the book's priceCount) */
  STALE: 4,
  FINISHED: 7,
  DISABLED: 8,
  /** taken out of its index while being evaluated */
  TAKEN: 9,
} as const;
export type Phase = (typeof PHASE)[keyof typeof PHASE];

export const FINISH = { NONE: 0, ONCE: 1, EXPIRED: 2 } as const;

/**
 * How a rule's lastFiredAt is kept: never fired, rebuilt from lastFiredMs in
 * one of the two ISO forms (TS_CODE + 1), or as given in `lastFiredTs`. A
 * firing stores no string for a price whose ts is in ISO form.
 */
const FIRED_AT = { NEVER: 0, AS_GIVEN: TS_CODE.ODD + 1 } as const;

export class RuleTable {
  capacity = 0;
  rules: Array<Rule | undefined> = [];
  book = new Int32Array(0);
  ladder = new Int32Array(0);
  phase = new Uint8Array(0);
  /** the rule's memory of being armed (kept while disabled or finished) */
  armed = new Uint8Array(0);
  finish = new Uint8Array(0);
  family = new Uint8Array(0);
  /** 1 when the rule finishes after its first alert (kept here so firing does not read the rule) */
  once = new Uint8Array(0);
  /** ladder key to fire at; for stale rules the `after` in ms */
  trigger = new Float64Array(0);
  /** ladder key to re-arm below; for stale rules the creation time */
  rearm = new Float64Array(0);
  massFactor = new Float64Array(0);
  cooldownMs = new Float64Array(0);
  expiresMs = new Float64Array(0);
  /** NaN when never fired */
  lastFiredMs = new Float64Array(0);
  /** FIRED_AT code of lastFiredAt */
  lastFiredForm = new Uint8Array(0);
  /** lastFiredAt when it is not in ISO form (see FIRED_AT) */
  readonly lastFiredTs = new Map<number, string>();
  firedCount = new Float64Array(0);
  /** orderKey of the rule id: decisions sort on it */
  order = new Float64Array(0);
  /** -1 when the stale rule has not fired */
  staleGap = new Float64Array(0);
  /** NaN unless finished by expiry */
  finishedExpiresMs = new Float64Array(0);
  /** bumps when a rule leaves its place, invalidating its heap entries */
  epoch = new Uint32Array(0);
  readonly byId = new Map<string, number>();
  private readonly free: number[] = [];
  private next = 0;

  alloc(): number {
    const h = this.free.pop();
    if (h !== undefined) return h;
    if (this.next === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    return this.next++;
  }

  release(h: number): void {
    this.rules[h] = undefined;
    this.setLastFiredAt(h, null);
    this.phase[h] = PHASE.FREE;
    this.epoch[h] = ((this.epoch[h] as number) + 1) >>> 0;
    this.free.push(h);
  }

  /**
   * Notes when a rule fired: at `ms`, the `ts` of the price (or clock) that
   * fired it, whose TS_CODE form `form` is (see isoForm).
   */
  fired(h: number, ms: number, ts: string, form: number): void {
    this.lastFiredMs[h] = ms;
    if (form === TS_CODE.ODD) {
      this.lastFiredTs.set(h, ts);
    } else if (this.lastFiredForm[h] === FIRED_AT.AS_GIVEN) {
      this.lastFiredTs.delete(h);
    }
    this.lastFiredForm[h] = form + 1;
  }

  /** sets lastFiredAt from a rule's memory (lastFiredMs already set) */
  setLastFiredAt(h: number, ts: string | null): void {
    if (this.lastFiredForm[h] === FIRED_AT.AS_GIVEN) this.lastFiredTs.delete(h);
    if (ts === null) this.lastFiredForm[h] = FIRED_AT.NEVER;
    else this.fired(h, this.lastFiredMs[h] as number, ts, isoForm(ts, this.lastFiredMs[h] as number));
  }

  /** the ts of the price (or clock) that last fired the rule, null if it never fired */
  lastFiredAt(h: number): string | null {
    const form = this.lastFiredForm[h] as number;
    if (form === FIRED_AT.NEVER) return null;
    if (form === FIRED_AT.AS_GIVEN) return this.lastFiredTs.get(h) ?? null;
    return isoTs(this.lastFiredMs[h] as number, form - 1);
  }

  private grow(capacity: number): void {
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(capacity);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity);
      b.set(a);
      return b;
    };
    const u8 = (a: Uint8Array): Uint8Array<ArrayBuffer> => {
      const b = new Uint8Array(capacity);
      b.set(a);
      return b;
    };
    this.book = i32(this.book);
    this.ladder = i32(this.ladder);
    this.phase = u8(this.phase);
    this.armed = u8(this.armed);
    this.finish = u8(this.finish);
    this.lastFiredForm = u8(this.lastFiredForm);
    this.family = u8(this.family);
    this.once = u8(this.once);
    this.trigger = f64(this.trigger);
    this.rearm = f64(this.rearm);
    this.massFactor = f64(this.massFactor);
    this.cooldownMs = f64(this.cooldownMs);
    this.expiresMs = f64(this.expiresMs);
    this.lastFiredMs = f64(this.lastFiredMs);
    this.firedCount = f64(this.firedCount);
    this.order = f64(this.order);
    this.staleGap = f64(this.staleGap);
    this.finishedExpiresMs = f64(this.finishedExpiresMs);
    const epoch = new Uint32Array(capacity);
    epoch.set(this.epoch);
    this.epoch = epoch;
    this.capacity = capacity;
  }
}
