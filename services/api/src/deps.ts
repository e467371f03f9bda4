/** What the api needs from the outside world, as ports its handlers call. */
import type { TypedBucket } from "@rea/bus";
import type { Channel } from "@rea/channels";
import type {
  ApiKeyRecord,
  Channel as ChannelRecord,
  Instrument,
  PriceMessage,
  Rule,
  User,
  Verification,
} from "@rea/contracts";
import type { Registry } from "@rea/runtime";
import type { Logger } from "pino";
import type { ReadinessCheck } from "@rea/runtime";

export interface StoredPrice extends PriceMessage {
  seq: number;
}

export interface PricePort {
  /** publishes to PRICES; `alerts: false` stores and updates rule state without alerting */
  publish(p: PriceMessage, opts: { alerts: boolean }): Promise<{ seq: number; duplicate: boolean }>;
  last(instrument: string): Promise<StoredPrice | undefined>;
  history(instrument: string, opts: { fromMs?: number; toMs?: number; limit: number }): Promise<StoredPrice[]>;
}

export interface RuleStatePort {
  /** asks the evaluators for a rule's live state; undefined if none answered */
  stateOf(ruleId: string): Promise<Record<string, unknown> | undefined>;
}

export interface Stores {
  users: TypedBucket<User>;
  apikeys: TypedBucket<ApiKeyRecord>;
  rules: TypedBucket<Rule>;
  channels: TypedBucket<ChannelRecord>;
  instruments: TypedBucket<Instrument>;
  verifications: TypedBucket<Verification>;
}

export interface ApiLimits {
  maxBodyBytes: number;
  maxRulesPerUser: number;
  maxPricesPerRequest: number;
  backfillHorizonDays: number;
  verificationTtlMs: number;
  verificationMaxAttempts: number;
}

export interface ApiDeps {
  stores: Stores;
  prices: PricePort;
  ruleState: RuleStatePort;
  /** sends verification mail */
  mailer: Channel;
  adminToken: string;
  limits: ApiLimits;
  now: () => number;
  logger: Logger;
  ready: ReadinessCheck;
  registry: Registry;
}

export const DEFAULT_LIMITS: ApiLimits = {
  maxBodyBytes: 1024 * 1024,
  maxRulesPerUser: 500,
  maxPricesPerRequest: 10_000,
  backfillHorizonDays: 400,
  verificationTtlMs: 30 * 60_000,
  verificationMaxAttempts: 5,
};
