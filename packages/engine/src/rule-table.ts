/**
 * Per-rule runtime state in typed arrays indexed by an integer handle, so a
 * million rules cost a few typed arrays instead of a million objects. What a
 * price reads and writes of a rule that fires, cools down or re-arms is one
 * 64-byte record in `rec` (numbers) whose last 8 bytes are seen as `flags`:
 * one cache line per rule instead of one per field. The rest is an array per
 * field.
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

/** numbers per rule in `rec`: rule h's at REC * h + field */
export const REC = 8;
/** bytes per rule in `flags`: rule h's at REC_BYTES * h + flag */
export const REC_BYTES = REC * 8;
export const RULE_FIELDS = {
  /** ladder key to fire at; for stale rules the `after` in ms */
  TRIGGER: 0,
  /** ladder key to re-arm below; for stale rules the creation time */
  REARM: 1,
  MASS_FACTOR: 2,
  COOLDOWN_MS: 3,
  /** NaN when never fired */
  LAST_FIRED_MS: 4,
  FIRED_COUNT: 5,
  /** orderKey of the rule id: decisions sort on it */
  ORDER: 6,
} as const;
/** where the flags start in a record: its last number, after the RULE_FIELDS */
const FLAGS_AT = (REC - 1) * 8;
/** byte offsets in a record */
export const RULE_FLAGS = {
  PHASE: FLAGS_AT,
  /** the rule's memory of being armed (kept while disabled or finished) */
  ARMED: FLAGS_AT + 1,
  /** 1 when the rule finishes after its first alert (kept here so firing does not read the rule) */
  ONCE: FLAGS_AT + 2,
  /** FIRED_AT code of lastFiredAt */
  FIRED_FORM: FLAGS_AT + 3,
} as const;
const { LAST_FIRED_MS: R_LAST_FIRED_MS } = RULE_FIELDS;
const { PHASE: F_PHASE, FIRED_FORM: F_FIRED_FORM } = RULE_FLAGS;

/**
 * How a rule's lastFiredAt is kept: never fired, rebuilt from lastFiredMs in
 * one of the two ISO forms (TS_CODE + 1), or as given in `lastFiredTs`. A
 * firing stores no string for a price whose ts is in ISO form.
 */
const FIRED_AT = { NEVER: 0, AS_GIVEN: TS_CODE.ODD + 1 } as const;

export class RuleTable {
  capacity = 0;
  rules: Array<Rule | undefined> = [];
  /**
   * each rule's id and revision, beside the rule: what a rule_finished
   * decision says, read without the rule object (a cache miss of its own)
   */
  ids: string[] = [];
  revision = new Float64Array(0);
  book = new Int32Array(0);
  ladder = new Int32Array(0);
  /** RULE_FIELDS of rule h at REC * h */
  rec = new Float64Array(0);
  /** RULE_FLAGS of rule h at REC_BYTES * h (the same memory as `rec`) */
  flags = new Uint8Array(0);
  finish = new Uint8Array(0);
  family = new Uint8Array(0);
  expiresMs = new Float64Array(0);
  /** lastFiredAt when it is not in ISO form (see FIRED_AT) */
  readonly lastFiredTs = new Map<number, string>();
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

  /** notes rule h (its id and revision, read without it) */
  setRule(h: number, rule: Rule): void {
    this.rules[h] = rule;
    this.ids[h] = rule.id;
    this.revision[h] = rule.revision;
  }

  release(h: number): void {
    this.rules[h] = undefined;
    this.ids[h] = "";
    this.setLastFiredAt(h, null);
    this.flags[REC_BYTES * h + F_PHASE] = PHASE.FREE;
    this.epoch[h] = ((this.epoch[h] as number) + 1) >>> 0;
    this.free.push(h);
  }

  /**
   * Notes when a rule fired: at `ms`, the `ts` of the price (or clock) that
   * fired it, whose TS_CODE form `form` is (see isoForm).
   */
  fired(h: number, ms: number, ts: string, form: number): void {
    this.rec[REC * h + R_LAST_FIRED_MS] = ms;
    const f = REC_BYTES * h + F_FIRED_FORM;
    if (form === TS_CODE.ODD) {
      this.lastFiredTs.set(h, ts);
    } else if (this.flags[f] === FIRED_AT.AS_GIVEN) {
      this.lastFiredTs.delete(h);
    }
    this.flags[f] = form + 1;
  }

  /** sets lastFiredAt from a rule's memory (lastFiredMs already set) */
  setLastFiredAt(h: number, ts: string | null): void {
    const f = REC_BYTES * h + F_FIRED_FORM;
    if (this.flags[f] === FIRED_AT.AS_GIVEN) this.lastFiredTs.delete(h);
    if (ts === null) {
      this.flags[f] = FIRED_AT.NEVER;
    } else {
      const ms = this.rec[REC * h + R_LAST_FIRED_MS] as number;
      this.fired(h, ms, ts, isoForm(ts, ms));
    }
  }

  /** the ts of the price (or clock) that last fired the rule, null if it never fired */
  lastFiredAt(h: number): string | null {
    const form = this.flags[REC_BYTES * h + F_FIRED_FORM] as number;
    if (form === FIRED_AT.NEVER) return null;
    if (form === FIRED_AT.AS_GIVEN) return this.lastFiredTs.get(h) ?? null;
    return isoTs(this.rec[REC * h + R_LAST_FIRED_MS] as number, form - 1);
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
    const rec = new Float64Array(capacity * REC);
    rec.set(this.rec);
    this.rec = rec;
    this.flags = new Uint8Array(rec.buffer);
    this.finish = u8(this.finish);
    this.family = u8(this.family);
    this.expiresMs = f64(this.expiresMs);
    this.revision = f64(this.revision);
    this.staleGap = f64(this.staleGap);
    this.finishedExpiresMs = f64(this.finishedExpiresMs);
    const epoch = new Uint32Array(capacity);
    epoch.set(this.epoch);
    this.epoch = epoch;
    this.capacity = capacity;
  }
}
