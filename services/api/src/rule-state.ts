/** Asks the evaluators (over NATS request/reply) for the live state of a rule. */
import type { NatsConnection } from "@nats-io/nats-core";
import { RULE_STATE_SUBJECT } from "@rea/contracts";
import type { RuleStatePort } from "./deps.js";

export function natsRuleState(nc: NatsConnection, timeoutMs = 300): RuleStatePort {
  return {
    async stateOf(ruleId: string) {
      try {
        const reply = await nc.request(RULE_STATE_SUBJECT, JSON.stringify({ ruleId }), { timeout: timeoutMs });
        const body = reply.json<{ state?: Record<string, unknown> }>();
        return body.state;
      } catch {
        return undefined;
      }
    },
  };
}
