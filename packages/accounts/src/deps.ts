/** What account operations need: the stores, a mailer for codes, limits and a clock. */
import { TypedBucket } from "@rea/bus";
import type { Channel as Mailer } from "@rea/channels";
import {
  ApiKeyRecordSchema,
  BUCKETS,
  ChannelSchema,
  InstrumentSchema,
  RuleSchema,
  UserSchema,
  VerificationSchema,
} from "@rea/contracts";
import type { ApiKeyRecord, Channel, Instrument, Rule, User, Verification } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";

export interface Stores {
  users: TypedBucket<User>;
  apikeys: TypedBucket<ApiKeyRecord>;
  /** key `<userId>.<ruleId>` */
  rules: TypedBucket<Rule>;
  /** key `<userId>.<channelId>` */
  channels: TypedBucket<Channel>;
  instruments: TypedBucket<Instrument>;
  verifications: TypedBucket<Verification>;
}

/** Opens every bucket account operations use (they must be provisioned). */
export async function openStores(nc: NatsConnection): Promise<Stores> {
  return {
    users: await TypedBucket.open(nc, BUCKETS.USERS, UserSchema),
    apikeys: await TypedBucket.open(nc, BUCKETS.APIKEYS, ApiKeyRecordSchema),
    rules: await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema),
    channels: await TypedBucket.open(nc, BUCKETS.CHANNELS, ChannelSchema),
    instruments: await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema),
    verifications: await TypedBucket.open(nc, BUCKETS.VERIFICATIONS, VerificationSchema),
  };
}

export interface AccountLimits {
  maxRulesPerUser: number;
  verificationTtlMs: number;
  verificationMaxAttempts: number;
  /** how long a Telegram link code is valid */
  telegramLinkTtlMs: number;
}

export const DEFAULT_ACCOUNT_LIMITS: AccountLimits = {
  maxRulesPerUser: 500,
  verificationTtlMs: 30 * 60_000,
  verificationMaxAttempts: 5,
  telegramLinkTtlMs: 15 * 60_000,
};

export interface AccountsDeps {
  stores: Stores;
  /** sends verification mail */
  mailer: Mailer;
  limits: AccountLimits;
  now: () => number;
  logger: Logger;
}
