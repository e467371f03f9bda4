/** The price message on `prices.<instrument>` and the checks that need context. */
import { z } from "zod";
import { InstrumentIdSchema } from "./instruments.js";
import { UnitSchema } from "./units.js";

export const SourceSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, "a source is 1-64 characters: a-z, 0-9, _, . and -");

export const IsoTimestampSchema = z.iso.datetime({
  offset: true,
  message: 'an ISO 8601 timestamp with a timezone, e.g. "2025-02-28T00:00:00Z"',
});

export const PriceMessageSchema = z.strictObject({
  instrument: InstrumentIdSchema,
  price: z
    .number({ error: "price must be a number" })
    .refine(Number.isFinite, "price must be a finite number")
    .refine((p) => p > 0, "price must be greater than 0"),
  unit: UnitSchema,
  ts: IsoTimestampSchema,
  source: SourceSchema,
});
export type PriceMessage = z.infer<typeof PriceMessageSchema>;

/**
 * `ts` written one way for each instant: UTC with "Z", milliseconds only when not
 * zero. A ts finer than a millisecond is kept as sent, since a Date cannot hold
 * it and two distinct observations would become one.
 *
 * @example canonicalTs("2025-02-28T08:00:00.000+08:00") // "2025-02-28T00:00:00Z"
 */
function canonicalTs(ts: string): string {
  const ms = Date.parse(ts);
  if (Number.isNaN(ms) || /\.\d{4,}/.test(ts)) return ts;
  return new Date(ms).toISOString().replace(/\.000Z$/, "Z");
}

/**
 * `Nats-Msg-Id` of a price, `<source>:<instrument>:<ts>` with ts in its canonical
 * form: a feed that re-sends the same observation, however it writes the time, is
 * deduplicated. The message keeps its ts as sent.
 */
export function priceMsgId(p: Pick<PriceMessage, "source" | "instrument" | "ts">): string {
  return `${p.source}:${p.instrument}:${canonicalTs(p.ts)}`;
}

export const DEFAULT_BACKFILL_HORIZON_DAYS = 400;
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;

export interface PriceCheckContext {
  /** unit of each known instrument */
  unitOf: (instrument: string) => string | undefined;
  nowMs: number;
  horizonDays?: number;
}

export interface PriceIssue {
  code: "UNKNOWN_INSTRUMENT" | "UNIT_MISMATCH" | "FUTURE_TIMESTAMP" | "TOO_OLD";
  path: string;
  message: string;
}

/**
 * Checks a well-formed price against the catalogue and the clock. Returns the
 * first problem found, or undefined when the price may be published.
 */
export function checkPrice(p: PriceMessage, ctx: PriceCheckContext): PriceIssue | undefined {
  const unit = ctx.unitOf(p.instrument);
  if (unit === undefined) {
    return { code: "UNKNOWN_INSTRUMENT", path: "instrument", message: `unknown instrument ${p.instrument}` };
  }
  if (unit !== p.unit) {
    return {
      code: "UNIT_MISMATCH",
      path: "unit",
      message: `${p.instrument} is quoted in ${unit}, not ${p.unit}`,
    };
  }
  const ts = Date.parse(p.ts);
  if (ts > ctx.nowMs + MAX_FUTURE_SKEW_MS) {
    return { code: "FUTURE_TIMESTAMP", path: "ts", message: `ts ${p.ts} is more than 5 minutes in the future` };
  }
  const horizon = ctx.horizonDays ?? DEFAULT_BACKFILL_HORIZON_DAYS;
  if (ts < ctx.nowMs - horizon * 86_400_000) {
    return { code: "TOO_OLD", path: "ts", message: `ts ${p.ts} is older than the backfill horizon of ${horizon} days` };
  }
  return undefined;
}
