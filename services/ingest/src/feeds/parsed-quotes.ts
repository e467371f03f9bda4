/** What a quote format makes of a response body. */
import type { Observation } from "../price-gate.js";

/** The body does not have the expected layout: the whole response is refused. */
export class QuoteFormatError extends Error {
  override readonly name = "QuoteFormatError";
}

export interface ParsedQuotes {
  observations: Observation[];
  /** items that carry no price this time (no trade yet, unknown symbol), with why */
  skipped: string[];
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A number from a JSON number or a decimal string; throws a QuoteFormatError naming the field otherwise. */
export function toNumber(value: unknown, what: string): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && DECIMAL.test(value.trim())) return Number(value.trim());
  throw new QuoteFormatError(`${what} is not a number: ${JSON.stringify(value)?.slice(0, 60) ?? String(value)}`);
}
