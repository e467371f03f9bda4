/** Asks the evaluators (over NATS request/reply) for the live state of a rule, and whether they have seen a write. */
import type { NatsConnection } from "@nats-io/nats-core";
import { RULE_STATE_SUBJECT, RULES_APPLIED_SUBJECT, RuleStateSchema } from "@rea/contracts";
import type { RuleStatePort } from "./deps.js";

export function natsRuleState(nc: NatsConnection, timeoutMs = 300): RuleStatePort {
  /** every running evaluator's applied rules revision; empty when none runs */
  const appliedRevisions = async (): Promise<number[]> => {
    const out: number[] = [];
    try {
      const replies = await nc.requestMany(RULES_APPLIED_SUBJECT, "", { strategy: "stall", stall: 30, maxWait: 200 });
      for await (const m of replies) {
        const n = m.json<{ appliedRevision?: unknown }>().appliedRevision;
        if (typeof n === "number") out.push(n);
      }
    } catch {
      // no responders: no evaluator runs
    }
    return out;
  };
  return {
    async stateOf(ruleId: string) {
      try {
        const reply = await nc.request(RULE_STATE_SUBJECT, JSON.stringify({ ruleId }), { timeout: timeoutMs });
        const state = RuleStateSchema.safeParse(reply.json<{ state?: unknown }>().state);
        return state.success ? state.data : undefined;
      } catch {
        return undefined;
      }
    },
    async awaitApplied(revision: number, waitMs = 2000) {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const seen = await appliedRevisions();
        if (seen.every((r) => r >= revision)) return true;
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 10));
      }
    },
  };
}
