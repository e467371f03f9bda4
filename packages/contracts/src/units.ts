/**
 * Units are `<currency>/<measure>`: an ISO 4217 currency over a mass (`t`, `kg`,
 * `lb`), a `share`, or another currency (FX quotes such as `CNY/USD`).
 */
import { z } from "zod";

export const MASS_MEASURES = { t: 1000, kg: 1, lb: 0.45359237 } as const;
export type MassMeasure = keyof typeof MASS_MEASURES;

const UNIT_PATTERN = /^([A-Z]{3})\/(t|kg|lb|share|[A-Z]{3})$/;

export const UnitSchema = z
  .string()
  .regex(UNIT_PATTERN, "a unit is <currency>/<measure>, e.g. CNY/t, USD/kg, HKD/share, CNY/USD");
export type Unit = z.infer<typeof UnitSchema>;

export type UnitMeasureKind = "mass" | "share" | "currency";

export interface ParsedUnit {
  currency: string;
  measure: string;
  kind: UnitMeasureKind;
  /** kilograms per unit of measure, for mass measures */
  kgPerMeasure: number | undefined;
}

/** Splits a unit into currency and measure; throws on a malformed unit. */
export function parseUnit(unit: string): ParsedUnit {
  const m = UNIT_PATTERN.exec(unit);
  if (!m) throw new Error(`malformed unit "${unit}"`);
  const currency = m[1] as string;
  const measure = m[2] as string;
  if (measure in MASS_MEASURES) {
    return { currency, measure, kind: "mass", kgPerMeasure: MASS_MEASURES[measure as MassMeasure] };
  }
  return { currency, measure, kind: measure === "share" ? "share" : "currency", kgPerMeasure: undefined };
}

/**
 * Whether a value in `from` can be expressed in `to`: same unit, or both per-mass
 * (any currency; a currency change needs an FX rate), or both per-share in one currency.
 */
export function unitsCompatible(from: string, to: string): boolean {
  if (from === to) return true;
  const a = parseUnit(from);
  const b = parseUnit(to);
  if (a.kind === "mass" && b.kind === "mass") return true;
  if (a.kind === "share" && b.kind === "share") return a.currency === b.currency;
  return false;
}

/**
 * The FX instrument that converts between two currencies, with the direction:
 * `USDCNY` quotes CNY per USD, so USD→CNY multiplies and CNY→USD divides.
 * Returns undefined when no conversion is needed (same currency).
 *
 * @example fxPairFor("USD", "CNY") // { instrument: "USDCNY", invert: false }
 */
export function fxPairFor(from: string, to: string): { instrument: string; invert: boolean } | undefined {
  if (from === to) return undefined;
  if (from === "USD") return { instrument: `USD${to}`, invert: false };
  if (to === "USD") return { instrument: `USD${from}`, invert: true };
  // cross rate through USD is not supported: the catalogue quotes FX against USD
  return { instrument: `${from}${to}`, invert: false };
}
