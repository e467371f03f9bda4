/** What the api needs from the outside world, as ports its handlers call. */
import { DEFAULT_ACCOUNT_LIMITS } from "@rea/accounts";
import type { AccountLimits, AccountsDeps } from "@rea/accounts";
import type { PriceMessage } from "@rea/contracts";
import type { ReadinessCheck, Registry } from "@rea/runtime";

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

export interface ApiLimits extends AccountLimits {
  maxBodyBytes: number;
  maxPricesPerRequest: number;
  backfillHorizonDays: number;
}

export interface ApiDeps extends AccountsDeps {
  prices: PricePort;
  ruleState: RuleStatePort;
  adminToken: string;
  limits: ApiLimits;
  ready: ReadinessCheck;
  registry: Registry;
}

export const DEFAULT_LIMITS: ApiLimits = {
  ...DEFAULT_ACCOUNT_LIMITS,
  maxBodyBytes: 1024 * 1024,
  maxPricesPerRequest: 10_000,
  backfillHorizonDays: 400,
};
