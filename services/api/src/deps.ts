/** What the api needs from the outside world, as ports its handlers call. */
import { DEFAULT_ACCOUNT_LIMITS } from "@rea/accounts";
import type { AccountLimits, AccountsDeps } from "@rea/accounts";
import type {
  Alert,
  ConsumerLag,
  DeliveryFailures,
  DeliveryRecord,
  PriceMessage,
  RuleState,
  ServiceInstance,
} from "@rea/contracts";
import type { ReadinessCheck, Registry } from "@rea/runtime";
import type { RateLimiter } from "./rate-limit.js";
import type { StoredPrice } from "@rea/bus";

export type { StoredPrice };

export interface PricePort {
  /** publishes to PRICES; `alerts: false` stores and updates rule state without alerting */
  publish(p: PriceMessage, opts: { alerts: boolean }): Promise<{ seq: number; duplicate: boolean }>;
  last(instrument: string): Promise<StoredPrice | undefined>;
  history(instrument: string, opts: { fromMs?: number; toMs?: number; limit: number }): Promise<StoredPrice[]>;
}

export interface RuleStatePort {
  /** asks the evaluators for a rule's live state; undefined if none answered */
  stateOf(ruleId: string): Promise<RuleState | undefined>;
  /**
   * Waits until every running evaluator has applied the rules bucket up to
   * `revision` (at most `waitMs`); true when they have or none runs.
   */
  awaitApplied(revision: number, waitMs?: number): Promise<boolean>;
}

export interface StoredAlert {
  alert: Alert;
  /** ALERTS stream sequence */
  seq: number;
  /** when the stream stored it */
  publishedAt: string;
}

export interface AlertPort {
  /** the newest `limit` alerts on `alerts.<userId>` published at or after `sinceMs`, oldest first */
  ofUser(userId: string, opts: { sinceMs?: number; limit: number }): Promise<StoredAlert[]>;
  /** the recorded outcome of delivering an alert to one channel */
  delivery(alertId: string, channelId: string): Promise<DeliveryRecord | undefined>;
}

export interface OpsPort {
  /** every service instance that answers `$SRV.STATS` */
  services(): Promise<ServiceInstance[]>;
  /** the durable consumers of PRICES and ALERTS with their lag */
  consumers(): Promise<ConsumerLag[]>;
  /** failed deliveries: how many, and the latest `recent` of them */
  deliveryFailures(recent: number): Promise<DeliveryFailures>;
}

export interface ApiLimits extends AccountLimits {
  maxBodyBytes: number;
  maxPricesPerRequest: number;
  backfillHorizonDays: number;
  /** requests per minute per API key; 0: no limit */
  requestsPerMinute: number;
  /** requests per minute with the admin token; 0: no limit */
  adminRequestsPerMinute: number;
  /** most prices one rule preview may run over */
  maxPreviewPrices: number;
  /** failed deliveries listed by the ops status */
  recentDeliveryFailures: number;
}

export interface ApiDeps extends AccountsDeps {
  prices: PricePort;
  ruleState: RuleStatePort;
  adminToken: string;
  limits: ApiLimits;
  ready: ReadinessCheck;
  registry: Registry;
  alerts: AlertPort;
  ops: OpsPort;
  /** the bot's username, for t.me links in Telegram link codes */
  telegramBotUsername?: string | undefined;
  /** shared by every route; createApp makes one from `limits` when none is given */
  rateLimiter?: RateLimiter | undefined;
}

export const DEFAULT_LIMITS: ApiLimits = {
  ...DEFAULT_ACCOUNT_LIMITS,
  maxBodyBytes: 1024 * 1024,
  maxPricesPerRequest: 10_000,
  backfillHorizonDays: 400,
  requestsPerMinute: 300,
  adminRequestsPerMinute: 6000,
  maxPreviewPrices: 100_000,
  recentDeliveryFailures: 20,
};
