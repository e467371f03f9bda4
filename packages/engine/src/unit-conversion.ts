/**
 * From a rule's unit to its instrument's quote unit: a constant mass factor
 * and, when the currencies differ, an FX instrument read at evaluation time.
 */
import { fxPairFor, parseUnit, unitsCompatible } from "@rea/contracts";
import { EngineInputError } from "./errors.js";

export interface UnitConversion {
  /** multiply a value per the rule's measure to get it per the quote's measure */
  massFactor: number;
  /** the FX instrument, when the rule's currency is not the quote's */
  fx: { instrument: string; invert: boolean } | undefined;
}

const SAME: UnitConversion = { massFactor: 1, fx: undefined };

/**
 * How a value in `ruleUnit` becomes a value in `quoteUnit`; throws when the
 * units are of different families.
 *
 * @example unitConversion("USD/kg", "CNY/t") // { massFactor: 1000, fx: { instrument: "USDCNY", invert: false } }
 */
export function unitConversion(ruleUnit: string, quoteUnit: string): UnitConversion {
  if (ruleUnit === quoteUnit) return SAME;
  let compatible: boolean;
  try {
    compatible = unitsCompatible(ruleUnit, quoteUnit);
  } catch (e) {
    throw new EngineInputError("INCOMPATIBLE_UNIT", `malformed unit: ${ruleUnit} or ${quoteUnit}`, { cause: e });
  }
  if (!compatible) {
    throw new EngineInputError("INCOMPATIBLE_UNIT", `${ruleUnit} cannot be expressed in ${quoteUnit}`);
  }
  const r = parseUnit(ruleUnit);
  const q = parseUnit(quoteUnit);
  const massFactor = r.kgPerMeasure !== undefined && q.kgPerMeasure !== undefined ? q.kgPerMeasure / r.kgPerMeasure : 1;
  return { massFactor, fx: fxPairFor(r.currency, q.currency) };
}

/**
 * A quote-currency amount in the rule's currency (per the quote's measure).
 * Rules in another currency are compared in their own currency, so one FX
 * rate per tick converts the price instead of every threshold.
 *
 * @example toRuleCurrency(446400, 7.2, false) // 62000 (USD per t)
 */
export function toRuleCurrency(amount: number, rate: number, invert: boolean): number {
  return invert ? amount * rate : amount / rate;
}

/**
 * A rule-currency amount in the quote currency.
 *
 * @example toQuoteCurrency(62000, 7.2, false) // 446400
 */
export function toQuoteCurrency(amount: number, rate: number, invert: boolean): number {
  return invert ? amount / rate : amount * rate;
}
