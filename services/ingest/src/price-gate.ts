/**
 * Every feed's prices pass this gate before publication: shape, catalogue,
 * unit and time checks, then the outlier guard. A rejection (or a price held
 * as suspect) is counted by feed and reason and written to `deadletter.ingest`,
 * so nothing disappears silently.
 */
import { publishDeadLetter, publishPrice } from "@rea/bus";
import { PriceMessageSchema, checkPrice, issuesToDetails } from "@rea/contracts";
import type { ErrorDetail, Instrument, PriceMessage } from "@rea/contracts";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "pino";
import { OutlierGuard, defaultMaxMovePct } from "./outlier-guard.js";
import type { GuardVerdict, Observed } from "./outlier-guard.js";

export interface GateOptions {
  js: JetStreamClient;
  unitOf: (instrument: string) => string | undefined;
  now: () => number;
  logger: Logger;
  /** the instrument's kind and market, for the outlier guard's default limits (none without it) */
  instrumentOf?: (instrument: string) => Pick<Instrument, "kind" | "market"> | undefined;
  /** the last price stored for an instrument, so the guard keeps its reference across restarts */
  lastPrice?: (instrument: string) => Promise<Observed | undefined>;
}

export type GateOutcome = "published" | "duplicate" | "rejected" | "suspect";

/** A price as a feed reads it; the unit defaults to the catalogue's. */
export interface Observation {
  instrument: string;
  price: number;
  ts: string;
  source: string;
  unit?: string;
}

/** What one feed got through the gate. */
export interface FeedCounts {
  published: number;
  duplicates: number;
  /** by reason, held suspects (`SUSPECT_MOVE`) included */
  rejected: Map<string, number>;
  /** wall-clock time of the last newly published price */
  lastNewAtMs: number | undefined;
  /** latest observation time published */
  lastObservationMs: number | undefined;
}

export class PriceGate {
  readonly rejections = new Map<string, number>();
  published = 0;
  duplicates = 0;
  private readonly guard = new OutlierGuard();
  private readonly perFeed = new Map<string, FeedCounts>();

  constructor(private readonly opts: GateOptions) {}

  /** the counts of one feed (zero until it offers something) */
  counts(feed: string): FeedCounts {
    let c = this.perFeed.get(feed);
    if (c === undefined) {
      c = { published: 0, duplicates: 0, rejected: new Map(), lastNewAtMs: undefined, lastObservationMs: undefined };
      this.perFeed.set(feed, c);
    }
    return c;
  }

  /** every feed that offered a price, with its counts */
  allCounts(): ReadonlyMap<string, FeedCounts> {
    return this.perFeed;
  }

  /** Offers a feed's observation, taking the unit from the catalogue when the feed gives none. */
  async offerObservation(
    feed: string,
    obs: Observation,
    horizonDays: number,
    maxMovePct: Readonly<Record<string, number>> = {},
  ): Promise<GateOutcome> {
    const unit = obs.unit ?? this.opts.unitOf(obs.instrument);
    if (unit === undefined) {
      const message = `unknown instrument ${obs.instrument}`;
      await this.reject(feed, obs, "UNKNOWN_INSTRUMENT", message, [{ path: "instrument", message }]);
      return "rejected";
    }
    return this.offer(feed, { ...obs, unit }, horizonDays, maxMovePct);
  }

  async offer(
    feed: string,
    raw: unknown,
    horizonDays: number,
    maxMovePct: Readonly<Record<string, number>> = {},
  ): Promise<GateOutcome> {
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
    const obs = { price: p.price, tsMs: Date.parse(p.ts) };
    await this.ensureReference(p.instrument);
    const limit = maxMovePct[p.instrument] ?? defaultMaxMovePct(this.opts.instrumentOf?.(p.instrument));
    const verdict = this.guard.check(p.instrument, obs, limit);
    if (verdict.verdict === "suspect") {
      if (!verdict.repeat) {
        const message = describeMove(p, verdict);
        await this.reject(feed, raw, "SUSPECT_MOVE", message, [{ path: "price", message }]);
      }
      return "suspect";
    }
    if (verdict.verdict === "confirmed") {
      this.opts.logger.info({ feed, instrument: p.instrument, reason: describeMove(p, verdict) }, "move confirmed");
    }
    const ack = await publishPrice(this.opts.js, p);
    this.guard.accept(p.instrument, obs);
    const counts = this.counts(feed);
    if (ack.duplicate) {
      this.duplicates++;
      counts.duplicates++;
      return "duplicate";
    }
    this.published++;
    counts.published++;
    counts.lastNewAtMs = this.opts.now();
    counts.lastObservationMs = Math.max(counts.lastObservationMs ?? obs.tsMs, obs.tsMs);
    return "published";
  }

  private async ensureReference(instrument: string): Promise<void> {
    if (this.guard.knows(instrument)) return;
    let last: Observed | undefined;
    try {
      last = await this.opts.lastPrice?.(instrument);
    } catch (err) {
      this.opts.logger.warn({ err, instrument }, "last stored price unavailable: the outlier guard starts without it");
    }
    this.guard.seed(instrument, last);
  }

  private async reject(
    feed: string,
    raw: unknown,
    code: string,
    reason: string,
    details: ErrorDetail[],
  ): Promise<void> {
    this.rejections.set(code, (this.rejections.get(code) ?? 0) + 1);
    const byFeed = this.counts(feed).rejected;
    byFeed.set(code, (byFeed.get(code) ?? 0) + 1);
    this.opts.logger.warn({ feed, code, reason }, code === "SUSPECT_MOVE" ? "price held as suspect" : "price rejected");
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

function describeMove(p: PriceMessage, v: Exclude<GuardVerdict, { verdict: "ok" }>): string {
  const sign = v.movePct >= 0 ? "+" : "";
  const at = new Date(v.reference.tsMs).toISOString().replace(".000Z", "Z");
  return (
    `${p.instrument} moved ${sign}${v.movePct.toFixed(2)}% (${v.reference.price} → ${p.price} ${p.unit}) ` +
    `against the last accepted price of ${at}; the limit is ${v.limitPct}%`
  );
}
