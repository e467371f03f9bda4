/** Subject, stream and bucket names (DESIGN 4.3). */

export const STREAMS = {
  PRICES: { name: "PRICES", subjects: ["prices.>"] },
  ALERTS: { name: "ALERTS", subjects: ["alerts.>"] },
  DEADLETTER: { name: "DEADLETTER", subjects: ["deadletter.>"] },
} as const;

export const BUCKETS = {
  RULES: "rules",
  USERS: "users",
  APIKEYS: "apikeys",
  CHANNELS: "channels",
  INSTRUMENTS: "instruments",
  DELIVERIES: "deliveries",
  EVALUATOR_STATE: "evaluator_state",
  VERIFICATIONS: "verifications",
  /** alerts held during quiet hours and their digests, keyed `<userId>.<channelId>.…` */
  HELD_ALERTS: "held_alerts",
} as const;

export const subjects = {
  price: (instrument: string) => `prices.${instrument}`,
  alert: (userId: string) => `alerts.${userId}`,
  deadLetter: (origin: string) => `deadletter.${origin}`,
} as const;

export const CONSUMERS = {
  EVALUATOR: "evaluator",
  NOTIFIER: "notifier",
} as const;

/** Message headers the product sets besides `Nats-Msg-Id`. */
export const HEADERS = {
  /** "off" on a price: store it and update rule state, but send no alerts (quiet backfill) */
  ALERTS: "Rea-Alerts",
  /**
   * On a price older (by ts) than the newest one stored for its instrument when it was published: the
   * stream sequence of that newest price, so the last message of `prices.<instrument>` always leads to it
   */
  NEWEST: "Rea-Newest-Seq",
} as const;

/** Request/reply: `{ruleId}` → `{state}` from the evaluator that holds the rule. */
export const RULE_STATE_SUBJECT = "evaluator.rule-state";

/** Request/reply: every evaluator answers `{appliedRevision}`, the rules-bucket revision it has applied. */
export const RULES_APPLIED_SUBJECT = "evaluator.rules-applied";
