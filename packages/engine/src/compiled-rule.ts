/**
 * A rule reduced to numbers. Every price rule is evaluated on a value x that
 * rises toward its trigger: it fires when x >= trigger and re-arms when
 * x < rearm. For `above`/`cross_up` x is the price, for `below`/`cross_down`
 * it is minus the price, for change rules it is the change (up), minus the
 * change (down) or its magnitude (any). Prices are compared in the rule's
 * currency per the quote's measure (see unit-conversion.ts).
 */
import { durationMs } from "@rea/contracts";
import type { Rearm, Rule } from "@rea/contracts";
import { EngineInputError } from "./errors.js";
import { unitConversion } from "./unit-conversion.js";
import type { UnitConversion } from "./unit-conversion.js";

export const FAMILY = { LEVEL: 0, CROSS: 1, CHANGE: 2, STALE: 3 } as const;
export type Family = (typeof FAMILY)[keyof typeof FAMILY];
export const DIRECTION = { UP: 0, DOWN: 1, ANY: 2 } as const;
export type Direction = (typeof DIRECTION)[keyof typeof DIRECTION];

export interface ChangeWindow {
  /** "d<ms>" or "o<count>": rules with equal windows share one reference lookup */
  key: string;
  /** duration in ms, 0 for an observation count */
  ms: number;
  /** observations back, 0 for a duration */
  obs: number;
}

export interface CompiledRule {
  family: Family;
  direction: Direction;
  /** change rules: a percentage (true) or an amount (false) */
  pct: boolean;
  trigger: number;
  rearm: number;
  conversion: UnitConversion;
  window: ChangeWindow | undefined;
  cooldownMs: number;
  /** Infinity when the rule does not expire */
  expiresMs: number;
  /** stale rules: how long without a price */
  afterMs: number;
  createdMs: number;
}

function parseTime(iso: string, what: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new EngineInputError("INVALID_RULE", `${what} is not a timestamp: ${iso}`);
  return ms;
}

function parseDuration(d: string, what: string): number {
  try {
    return durationMs(d);
  } catch (e) {
    throw new EngineInputError("INVALID_RULE", `${what} is not a duration: ${d}`, { cause: e });
  }
}

/** The re-arm distance from a threshold, in the threshold's own terms. */
export function rearmBand(threshold: number, rearm: Rearm | undefined): number {
  if (rearm === undefined) return 0;
  return "pct" in rearm ? (threshold * rearm.pct) / 100 : rearm.abs;
}

/** Signed value a rule compares: up as is, down negated, any as magnitude. */
export function directed(direction: Direction, value: number): number {
  return direction === DIRECTION.UP ? value : direction === DIRECTION.DOWN ? -value : Math.abs(value);
}

/**
 * The change in percent against a reference price, as DESIGN 4.5 writes it.
 *
 * @example changePct(444000, 415000) // 6.987951807228916
 */
export function changePct(price: number, ref: number): number {
  return ((price - ref) / ref) * 100;
}

export function windowOf(window: string | { obs: number }): ChangeWindow {
  if (typeof window === "string") {
    const ms = parseDuration(window, "window");
    return { key: `d${ms}`, ms, obs: 0 };
  }
  if (!Number.isInteger(window.obs) || window.obs < 1) {
    throw new EngineInputError("INVALID_RULE", `window.obs must be a whole number >= 1`);
  }
  return { key: `o${window.obs}`, ms: 0, obs: window.obs };
}

/**
 * Compiles a rule against its instrument's quote unit; throws EngineInputError
 * when the rule cannot be evaluated there.
 *
 * @example compileRule(aboveRule, "CNY/t") // { family: FAMILY.LEVEL, trigger: 450000, rearm: 445500, ... } for above 450000 CNY/t with rearm {pct: 1}
 */
export function compileRule(rule: Rule, quoteUnit: string): CompiledRule {
  const conversion = unitConversion(rule.unit, quoteUnit);
  const f = conversion.massFactor;
  const c = rule.condition;
  let family: Family;
  let direction: Direction = DIRECTION.UP;
  let pct = false;
  let trigger = 0;
  let rearm = 0;
  let window: ChangeWindow | undefined;
  let afterMs = 0;
  switch (c.type) {
    case "above":
    case "below":
    case "cross_up":
    case "cross_down": {
      const up = c.type === "above" || c.type === "cross_up";
      const s = up ? 1 : -1;
      const band = rearmBand(c.value, rule.rearm);
      family = c.type === "above" || c.type === "below" ? FAMILY.LEVEL : FAMILY.CROSS;
      direction = up ? DIRECTION.UP : DIRECTION.DOWN;
      trigger = s * (c.value * f);
      rearm = s * ((c.value - s * band) * f);
      break;
    }
    case "change": {
      pct = c.pct !== undefined;
      const threshold = c.pct ?? c.abs;
      if (threshold === undefined) throw new EngineInputError("INVALID_RULE", "a change condition needs pct or abs");
      const band = rearmBand(threshold, rule.rearm);
      family = FAMILY.CHANGE;
      direction = c.direction === "up" ? DIRECTION.UP : c.direction === "down" ? DIRECTION.DOWN : DIRECTION.ANY;
      trigger = pct ? threshold : threshold * f;
      rearm = pct ? threshold - band : (threshold - band) * f;
      window = windowOf(c.window);
      break;
    }
    case "stale":
      family = FAMILY.STALE;
      afterMs = parseDuration(c.after, "after");
      break;
  }
  if (!Number.isFinite(trigger) || !Number.isFinite(rearm)) {
    throw new EngineInputError("INVALID_RULE", `rule ${rule.id} has a threshold that is not a finite number`);
  }
  return {
    family,
    direction,
    pct,
    trigger,
    rearm,
    conversion,
    window,
    cooldownMs: rule.cooldown === undefined ? 0 : parseDuration(rule.cooldown, "cooldown"),
    expiresMs: rule.expiresAt === null ? Infinity : parseTime(rule.expiresAt, "expiresAt"),
    afterMs,
    createdMs: parseTime(rule.createdAt, "createdAt"),
  };
}

/** Whether a rule's conversion needs an FX rate (pct changes never do). */
export function needsFx(c: CompiledRule): boolean {
  return c.conversion.fx !== undefined && c.family !== FAMILY.STALE && !(c.family === FAMILY.CHANGE && c.pct);
}
