/** The engine's public shapes: what goes in (ticks, rules), what comes out (decisions, state). */
import type { Alert, Rule } from "@rea/contracts";

/** One price in stream order, as the evaluator hands it to the engine. */
export interface PriceTick {
  instrument: string;
  price: number;
  unit: string;
  /** ISO 8601 as received (copied into alerts) */
  ts: string;
  /** Date.parse(ts) */
  tsMs: number;
  source: string;
  /** PRICES stream sequence (strictly increasing in stream order; used in alert ids) */
  seq: number;
}

export interface EngineOptions {
  /** the catalogue: the quote unit of each instrument */
  unitOf: (instrument: string) => string | undefined;
  /**
   * The trading calendar of an instrument (pure functions of time). With one, a
   * stale rule fires only while the market is open and after `after` of open
   * market time without a price; without one, wall-clock time counts.
   */
  calendarOf?: (instrument: string) => MarketHours | undefined;
}

/** What the engine needs of a market calendar (the contracts' `MarketCalendar` fits). */
export interface MarketHours {
  isOpen(atMs: number): boolean;
  openMsBetween(fromMs: number, toMs: number): number;
}

export type FinishReason = "once" | "expired";

/**
 * A rule fired. `alert` is built on first read and kept (the explanation text
 * costs more than the decision itself, and a caller that only counts or
 * routes decisions never pays for it); it is the same whenever it is read.
 * Alerts of one price may share their `price`, `reference`, `change` and `fx`
 * objects: treat decisions as read-only.
 */
export interface AlertDecision {
  readonly kind: "alert";
  readonly ruleId: string;
  readonly alert: Alert;
}

export interface FinishDecision {
  readonly kind: "rule_finished";
  readonly ruleId: string;
  readonly revision: number;
  readonly reason: FinishReason;
}

/** What one price or clock step decided. */
export type Decision = AlertDecision | FinishDecision;

export type RuleStatus = "armed" | "disarmed" | "waiting" | "finished" | "disabled";
export type WaitingFor = "price" | "history" | "fx";

export interface RuleStateView {
  ruleId: string;
  revision: number;
  status: RuleStatus;
  /** why a rule cannot be evaluated yet */
  waitingFor?: WaitingFor;
  /** why a finished rule finished */
  finishedReason?: FinishReason;
  lastFiredAt?: string;
  firedCount: number;
}

/** The runtime memory of one rule: all the engine needs besides the rule itself and the prices. */
export interface RuleMemory {
  /** false after a firing until the condition is false again past the re-arm band */
  armed: boolean;
  finished: FinishReason | null;
  /** the `expiresAt` (ms) of the revision that expired, so an edit that keeps it stays finished */
  finishedExpiresMs: number | null;
  firedCount: number;
  lastFiredMs: number | null;
  lastFiredAt: string | null;
  /** the price gap (count of prices of the instrument) a stale rule last fired for */
  staleGap: number | null;
}

export interface RuleSnapshot {
  rule: Rule;
  memory: RuleMemory;
}

export interface LastPriceSnapshot {
  price: number;
  ts: string;
  tsMs: number;
  source: string;
  seq: number;
}

export interface InstrumentSnapshot {
  instrument: string;
  last: LastPriceSnapshot | null;
  /** in-order prices seen: identifies the current stale gap */
  priceCount: number;
  /** observations kept for change windows, oldest first */
  history: { tsMs: number[]; price: number[]; ts: string[]; source: string[] };
  /** once history was pruned: every observation at or after this time is kept */
  floorMs: number | null;
}

/**
 * JSON-serialisable full state. Both `RuleEngine` and `ReferenceEvaluator`
 * write and read this one format (rules and instruments sorted by id).
 */
export interface EngineSnapshot {
  format: "rea-engine/1";
  /** the latest clock seen by onClock */
  clockMs: number | null;
  rules: RuleSnapshot[];
  instruments: InstrumentSnapshot[];
}
