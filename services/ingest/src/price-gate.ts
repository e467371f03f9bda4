/**
 * Every feed's prices pass this gate before publication: shape, catalogue,
 * unit and time checks. A rejection is counted by reason and written to
 * `deadletter.ingest` so nothing disappears silently.
 */
import { publishDeadLetter, publishJson } from "@rea/bus";
import { PriceMessageSchema, checkPrice, issuesToDetails, priceMsgId, subjects } from "@rea/contracts";
import type { ErrorDetail, PriceMessage } from "@rea/contracts";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "pino";

export interface GateOptions {
  js: JetStreamClient;
  unitOf: (instrument: string) => string | undefined;
  now: () => number;
  logger: Logger;
}

export type GateOutcome = "published" | "duplicate" | "rejected";

export class PriceGate {
  readonly rejections = new Map<string, number>();
  published = 0;
  duplicates = 0;

  constructor(private readonly opts: GateOptions) {}

  async offer(feed: string, raw: unknown, horizonDays: number): Promise<GateOutcome> {
    const parsed = PriceMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const details = issuesToDetails(parsed.error.issues);
      await this.reject(feed, raw, "INVALID", details.map((d) => `${d.path}: ${d.message}`).join("; "), details);
      return "rejected";
    }
    const p: PriceMessage = parsed.data;
    const issue = checkPrice(p, { unitOf: this.opts.unitOf, nowMs: this.opts.now(), horizonDays });
    if (issue !== undefined) {
      await this.reject(feed, raw, issue.code, issue.message, [{ path: issue.path, message: issue.message }]);
      return "rejected";
    }
    const ack = await publishJson(this.opts.js, subjects.price(p.instrument), PriceMessageSchema, p, {
      msgId: priceMsgId(p),
    });
    if (ack.duplicate) {
      this.duplicates++;
      return "duplicate";
    }
    this.published++;
    return "published";
  }

  private async reject(
    feed: string,
    raw: unknown,
    code: string,
    reason: string,
    details: ErrorDetail[],
  ): Promise<void> {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
    this.opts.logger.warn({ feed, code, reason }, "price rejected");
    await publishDeadLetter(this.opts.js, {
      origin: "ingest",
      subject: `feed.${feed}`,
      reason: `${code}: ${reason}`,
      details,
      payload: new TextEncoder().encode(JSON.stringify(raw) ?? "undefined"),
      nowMs: this.opts.now(),
    });
  }
}
