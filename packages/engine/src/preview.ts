/** What the rule preview endpoint runs: one unsaved rule over stored history. */
import { durationMs } from "@rea/contracts";
import type { Alert, Rule } from "@rea/contracts";
import { RuleEngine } from "./rule-engine.js";
import type { EngineOptions, PriceTick } from "./types.js";

export interface PreviewOptions extends EngineOptions {
  /** for stale rules: check the clock up to this time after the last price (default: the last price's time) */
  untilMs?: number;
}

/**
 * Runs one rule (enabled, as if created before the first price) over `history` (in the
 * order received, normally by time; include the FX instrument's prices when the
 * rule's unit needs a conversion) and returns the alerts it would have sent.
 * Stale rules fire at the moment the gap reached their `after`.
 *
 * @example
 * previewRule(rule, ticks, { unitOf }).map((a) => `${a.firedAt} ${a.title}`)
 * // ["2025-02-28T00:00:00Z TB_OXIDE up 9.01% in 30d"]
 */
export function previewRule(rule: Rule, history: readonly PriceTick[], opts: PreviewOptions): Alert[] {
  const engine = new RuleEngine({ unitOf: opts.unitOf });
  engine.upsertRule({ ...rule, enabled: true });
  const alerts: Alert[] = [];
  const take = (ds: ReturnType<RuleEngine["onPrice"]>): void => {
    for (const d of ds) if (d.kind === "alert") alerts.push(d.alert);
  };
  const c = rule.condition;
  const afterMs = c.type === "stale" ? durationMs(c.after) : undefined;
  let lastMs: number | undefined;
  for (const tick of history) {
    if (
      afterMs !== undefined &&
      tick.instrument === rule.instrument &&
      lastMs !== undefined &&
      tick.tsMs - lastMs >= afterMs
    ) {
      take(engine.onClock(lastMs + afterMs));
    }
    take(engine.onPrice(tick));
    if (tick.instrument === rule.instrument && (lastMs === undefined || tick.tsMs > lastMs)) lastMs = tick.tsMs;
  }
  if (afterMs !== undefined && lastMs !== undefined && opts.untilMs !== undefined && opts.untilMs - lastMs >= afterMs) {
    take(engine.onClock(lastMs + afterMs));
  }
  return alerts;
}
