/**
 * Quiet hours: alerts held for a channel, and the digest that releases them, in
 * the `held_alerts` bucket. Everything of one user's channel shares the prefix
 * `<userId>.<channelId>`:
 * - `<userId>.<channelId>.<alert id with "." for ":">`: one held alert;
 * - `<userId>.<channelId>.digest`: the digest being sent, which is also the
 *   lock that lets only one notifier send it, and, once `sent`, the proof that
 *   it went out (so a restart finishes the bookkeeping instead of resending).
 */
import { z } from "zod";
import { AlertSchema } from "./alert.js";
import { IsoTimestampSchema } from "./price.js";
import { ChannelTypeSchema } from "./rule.js";

/** The most alerts one digest carries; more wait for the next one. */
export const MAX_DIGEST_ALERTS = 500;

export const HeldAlertSchema = z.strictObject({
  kind: z.literal("alert"),
  alert: AlertSchema,
  channel: ChannelTypeSchema,
  channelId: z.string().min(1),
  heldAt: IsoTimestampSchema,
});
export type HeldAlert = z.infer<typeof HeldAlertSchema>;

/** `sending`: claimed by a notifier (or its send was cut short); `failed`: a transient failure, retried; `sent`. */
export const DigestStateSchema = z.enum(["sending", "failed", "sent"]);
export type DigestState = z.infer<typeof DigestStateSchema>;

export const DigestRecordSchema = z.strictObject({
  kind: z.literal("digest"),
  id: z.string().min(1).max(64),
  userId: z.string().min(1),
  channelId: z.string().min(1),
  state: DigestStateSchema,
  /** the held alerts this digest carries */
  alertIds: z.array(z.string().min(1)).min(1).max(MAX_DIGEST_ALERTS),
  attempts: z.int().min(1),
  /** when the current attempt began */
  startedAt: IsoTimestampSchema,
  /** provider's id of the sent digest */
  providerId: z.string().max(300).optional(),
  /** why the last attempt failed */
  reason: z.string().max(1000).optional(),
  /** after a failure: not retried before this time (the provider's retry-after) */
  retryAt: IsoTimestampSchema.optional(),
});
export type DigestRecord = z.infer<typeof DigestRecordSchema>;

export const HeldEntrySchema = z.discriminatedUnion("kind", [HeldAlertSchema, DigestRecordSchema]);
export type HeldEntry = z.infer<typeof HeldEntrySchema>;

/** The prefix of everything held for one channel of a user. */
export const heldPrefix = (userId: string, channelId: string): string => `${userId}.${channelId}`;

/** Key of a held alert; alert ids use `:`, KV keys allow `[-/_=.A-Za-z0-9]`. */
export const heldAlertKey = (userId: string, channelId: string, alertId: string): string =>
  `${heldPrefix(userId, channelId)}.${alertId.replace(/:/g, ".")}`;

/** Key of the channel's digest record (alert ids start with a rule id, `r_...`, so it never meets one). */
export const digestKey = (userId: string, channelId: string): string => `${heldPrefix(userId, channelId)}.digest`;
