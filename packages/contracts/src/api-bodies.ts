/**
 * HTTP bodies of the api beyond users, rules and prices (DESIGN 4.4): API key
 * rotation, Telegram link codes, the alert list, rule previews and the
 * operations status.
 */
import { z } from "zod";
import { AlertSchema, DeliveryRecordSchema, DeliveryStatusSchema } from "./alert.js";
import { InstrumentIdSchema } from "./instruments.js";
import { IsoTimestampSchema, SourceSchema } from "./price.js";
import { ChannelTypeSchema, ConditionSchema, RuleBodySchema } from "./rule.js";
import { UnitSchema } from "./units.js";

/** `POST /v1/me/keys`: the new key, shown once. */
export const ApiKeyIssuedSchema = z.strictObject({
  apiKey: z.string(),
  createdAt: IsoTimestampSchema,
  message: z.string(),
});
export type ApiKeyIssued = z.infer<typeof ApiKeyIssuedSchema>;

/** `POST /v1/channels/telegram`: send `/start <code>` to the bot from the chat to link. */
export const TelegramLinkCodeSchema = z.strictObject({
  code: z.string(),
  /** opens the bot with the code filled in; null when the bot's username is not configured */
  link: z.string().nullable(),
  expiresAt: IsoTimestampSchema,
  instructions: z.string(),
});
export type TelegramLinkCode = z.infer<typeof TelegramLinkCodeSchema>;

export const MAX_ALERTS_PAGE = 500;

/** `GET /v1/alerts?since&limit` */
export const AlertsQuerySchema = z.strictObject({
  /** only alerts published at or after this time */
  since: IsoTimestampSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_ALERTS_PAGE).default(50),
});
export type AlertsQuery = z.infer<typeof AlertsQuerySchema>;

/** The delivery of one alert to one channel; `pending` while no outcome is recorded. */
export const AlertDeliverySchema = z.strictObject({
  channelId: z.string(),
  channel: ChannelTypeSchema,
  status: z.enum([...DeliveryStatusSchema.options, "pending"]),
  attempts: z.int().min(0),
  reason: z.string().optional(),
  at: IsoTimestampSchema.optional(),
});
export type AlertDelivery = z.infer<typeof AlertDeliverySchema>;

/** An alert as its owner sees it: the alert, when it was published, and its deliveries. */
export const AlertViewSchema = AlertSchema.extend({
  publishedAt: IsoTimestampSchema,
  deliveries: z.array(AlertDeliverySchema),
});
export type AlertView = z.infer<typeof AlertViewSchema>;

export const AlertListSchema = z.strictObject({ alerts: z.array(AlertViewSchema) });
export type AlertList = z.infer<typeof AlertListSchema>;

/** `POST /v1/rules/preview`: a rule body and the stretch of stored history to run it over. */
export const RulePreviewRequestSchema = RuleBodySchema.extend({
  /** report firings at or after this time (default: from the oldest stored price) */
  from: IsoTimestampSchema.optional(),
  /** run up to this time (default: now) */
  to: IsoTimestampSchema.optional(),
}).refine((b) => b.from === undefined || b.to === undefined || Date.parse(b.from) <= Date.parse(b.to), {
  message: "to must not be before from",
  path: ["to"],
});
export type RulePreviewRequest = z.infer<typeof RulePreviewRequestSchema>;

/** One firing of a previewed rule, with the explanation (`text`) an alert would carry. */
export const RulePreviewFiringSchema = AlertSchema.pick({
  firedAt: true,
  title: true,
  text: true,
  price: true,
  threshold: true,
  reference: true,
  change: true,
  fx: true,
});
export type RulePreviewFiring = z.infer<typeof RulePreviewFiringSchema>;

export const RulePreviewSchema = z.strictObject({
  instrument: InstrumentIdSchema,
  unit: UnitSchema,
  condition: ConditionSchema,
  /** null when no `from` was given and no price is stored */
  from: IsoTimestampSchema.nullable(),
  to: IsoTimestampSchema,
  /** prices of the instrument in the range that the rule was evaluated on */
  pricesEvaluated: z.int().min(0),
  firings: z.array(RulePreviewFiringSchema),
});
export type RulePreview = z.infer<typeof RulePreviewSchema>;

/** A running service instance as it answered `$SRV.STATS`. */
export const ServiceInstanceSchema = z.strictObject({
  name: z.string(),
  id: z.string(),
  version: z.string(),
  started: z.string(),
  /** the service's own figures: health, lag, counters */
  status: z.record(z.string(), z.unknown()),
});
export type ServiceInstance = z.infer<typeof ServiceInstanceSchema>;

/** A durable consumer and how far behind its stream it is. */
export const ConsumerLagSchema = z.strictObject({
  stream: z.string(),
  consumer: z.string(),
  /** messages not yet delivered */
  pending: z.int().min(0),
  /** delivered, not yet acknowledged */
  ackPending: z.int().min(0),
  redelivered: z.int().min(0),
});
export type ConsumerLag = z.infer<typeof ConsumerLagSchema>;

/** When the last price of an instrument was observed (feed freshness). */
export const FeedFreshnessSchema = z.strictObject({
  instrument: InstrumentIdSchema,
  unit: UnitSchema,
  last: z
    .strictObject({ price: z.number(), ts: IsoTimestampSchema, source: SourceSchema, seq: z.int().min(0) })
    .nullable(),
  /** seconds since the last price's `ts`; null without a price */
  ageSeconds: z.number().nullable(),
});
export type FeedFreshness = z.infer<typeof FeedFreshnessSchema>;

export const DeliveryFailuresSchema = z.strictObject({
  /** delivery records whose status is failed */
  count: z.int().min(0),
  /** the latest failures, newest first */
  recent: z.array(DeliveryRecordSchema),
});
export type DeliveryFailures = z.infer<typeof DeliveryFailuresSchema>;

/** `GET /v1/ops/status` */
export const OpsStatusSchema = z.strictObject({
  generatedAt: IsoTimestampSchema,
  services: z.array(ServiceInstanceSchema),
  consumers: z.array(ConsumerLagSchema),
  feeds: z.array(FeedFreshnessSchema),
  deliveryFailures: DeliveryFailuresSchema,
});
export type OpsStatus = z.infer<typeof OpsStatusSchema>;
