/**
 * What the api answers for users, instruments, prices, rules and channels
 * (DESIGN 4.4), built from the records they show. `/openapi.json` documents each
 * route with these; the other answers are in `api-bodies.ts`.
 */
import { z } from "zod";
import { ErrorBodySchema } from "./http-error.js";
import { InstrumentIdSchema, InstrumentSchema } from "./instruments.js";
import { PriceMessageSchema } from "./price.js";
import { RuleSchema } from "./rule.js";
import { ChannelSchema, UserSchema } from "./user.js";

/** A user as they see themselves: everything but the hash of their API key. */
export const PublicUserSchema = UserSchema.omit({ apiKeyHash: true });

/** `POST /v1/users`: the user, the API key (shown once) and, when an address was given, its pending channel. */
export const UserCreatedSchema = PublicUserSchema.extend({
  apiKey: z.string(),
  emailChannel: z.strictObject({ id: z.string(), status: z.literal("pending") }).optional(),
});

/** `GET /v1/instruments`: the catalogue, each instrument with its last price (null before any). */
export const InstrumentListSchema = z.strictObject({
  instruments: z.array(
    InstrumentSchema.extend({
      last: PriceMessageSchema.pick({ price: true, unit: true, ts: true, source: true }).nullable(),
    }),
  ),
});

/** A price as stored in the PRICES stream, with its sequence number there. */
export const StoredPriceSchema = PriceMessageSchema.extend({ seq: z.int().min(1) });

/** `GET /v1/instruments/{id}/prices`: stored history, oldest first. */
export const PriceHistorySchema = z.strictObject({
  instrument: InstrumentIdSchema,
  prices: z.array(StoredPriceSchema),
});

/** `POST /v1/prices`: how many were accepted (the duplicates among them), and each rejected price with its error. */
export const PricesAcceptedSchema = z.strictObject({
  accepted: z.int().min(0),
  /** accepted prices that were already stored: the same source, instrument and time */
  duplicates: z.int().min(0),
  rejected: z.array(z.strictObject({ index: z.int().min(0), error: ErrorBodySchema.shape.error })),
});

/**
 * The live state of a rule as the evaluator reports it (`armed`, `disarmed`,
 * `waiting`, `finished`, `disabled`, with what it waits for, when it last fired
 * and how often); `pending` while no evaluator has reported it yet.
 */
export const RuleStateSchema = z.looseObject({ status: z.string() }).meta({
  description:
    "the rule's live state: status (armed, disarmed, waiting, finished, disabled; pending until an evaluator reports it), " +
    "with waitingFor, finishedReason, lastFiredAt and firedCount when known",
});
export type RuleState = z.infer<typeof RuleStateSchema>;

/** A rule with its live state. */
export const RuleViewSchema = RuleSchema.extend({ state: RuleStateSchema });

/** `GET /v1/rules` */
export const RuleListSchema = z.strictObject({ rules: z.array(RuleViewSchema) });

/** `POST /v1/channels/email`: the channel waiting for its code. */
export const EmailChannelPendingSchema = ChannelSchema.pick({ id: true, type: true, status: true }).extend({
  message: z.string(),
});

/** `GET /v1/channels` */
export const ChannelListSchema = z.strictObject({ channels: z.array(ChannelSchema) });
