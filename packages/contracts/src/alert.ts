/** The alert message on `alerts.<userId>`: everything a user needs to know why it fired. */
import { z } from "zod";
import { InstrumentIdSchema } from "./instruments.js";
import { IsoTimestampSchema, SourceSchema } from "./price.js";
import { ChannelTypeSchema, ConditionSchema, RuleIdSchema } from "./rule.js";
import { UnitSchema } from "./units.js";

export const AlertSchema = z.strictObject({
  /** `<ruleId>:<revision>:<price stream sequence>`; also the `Nats-Msg-Id` */
  id: z.string().min(1).max(200),
  ruleId: RuleIdSchema,
  ruleRevision: z.int().min(1),
  userId: z.string().min(1).max(64),
  instrument: InstrumentIdSchema,
  condition: ConditionSchema,
  price: z.strictObject({
    value: z.number(),
    unit: UnitSchema,
    ts: IsoTimestampSchema,
    source: SourceSchema,
    /** PRICES stream sequence; 0 for alerts with no triggering price (stale) */
    seq: z.int().min(0),
  }),
  threshold: z
    .strictObject({
      value: z.number(),
      unit: UnitSchema,
      /** the threshold in the quote's unit */
      quoteValue: z.number(),
      quoteUnit: UnitSchema,
    })
    .optional(),
  reference: z.strictObject({ value: z.number(), ts: IsoTimestampSchema }).optional(),
  change: z.strictObject({ pct: z.number(), abs: z.number() }).optional(),
  fx: z.strictObject({ instrument: InstrumentIdSchema, rate: z.number(), ts: IsoTimestampSchema }).optional(),
  /** event time of the firing (the price's ts, or the clock for stale rules) */
  firedAt: IsoTimestampSchema,
  channels: z.array(ChannelTypeSchema).min(1),
  note: z.string().max(500).optional(),
  /** one-line headline, e.g. "PRND_OXIDE above 450,000 CNY/t" */
  title: z.string().min(1).max(300),
  /** the human explanation: price, time, source, threshold in both units, reference, change, FX */
  text: z.string().min(1).max(4000),
});
export type Alert = z.infer<typeof AlertSchema>;

export const DeliveryStatusSchema = z.enum(["sent", "failed", "held", "skipped"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatusSchema>;

/** Outcome of delivering one alert to one channel, kept in the deliveries bucket. */
export const DeliveryRecordSchema = z.strictObject({
  alertId: z.string().min(1),
  userId: z.string().min(1),
  channel: ChannelTypeSchema,
  channelId: z.string().min(1),
  status: DeliveryStatusSchema,
  attempts: z.int().min(0),
  /** reason of a failure or skip */
  reason: z.string().max(1000).optional(),
  /** provider's id of the sent message */
  providerId: z.string().max(300).optional(),
  at: IsoTimestampSchema,
});
export type DeliveryRecord = z.infer<typeof DeliveryRecordSchema>;

/**
 * Key of a delivery record in the deliveries bucket: the alert id with its `:`
 * separators as `.` (KV keys allow `[-/_=.A-Za-z0-9]`), then `.` and the channel id.
 *
 * @example deliveryKey("r_8Zk2abcd:3:1042", "c_Q1w2e3r4") // "r_8Zk2abcd.3.1042.c_Q1w2e3r4"
 */
export const deliveryKey = (alertId: string, channelId: string): string => `${alertId.replace(/:/g, ".")}.${channelId}`;
