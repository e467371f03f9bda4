/**
 * Runs the engine over the PRICES stream: rules and instruments are followed
 * live from KV, every price is evaluated in stream order, alerts are published
 * with their deterministic id as `Nats-Msg-Id` before the price is acked.
 *
 * Crash safety: because alerts go out before the ack, every price up to the
 * consumer's ack floor has had its alerts published. On start the engine loads
 * its last snapshot and replays the prices after it up to the ack floor without
 * alerting; prices after the floor are redelivered and alert normally, and a
 * second publication of the same alert id is dropped by the stream.
 *
 * All engine work (a price, a clock tick, a snapshot) runs one step at a time
 * through a serial chain, so a snapshot never captures a state whose alerts
 * have not been published yet.
 */
import { TypedBucket, consumeJson, consumerAckFloor, publishJson, readStream, recreateConsumer } from "@rea/bus";
import type { ConsumerHandle, LiveView, MessageContext } from "@rea/bus";
import {
  AlertSchema,
  AppError,
  BUCKETS,
  HEADERS,
  RULE_STATE_SUBJECT,
  RULES_APPLIED_SUBJECT,
  InstrumentSchema,
  PriceMessageSchema,
  RuleSchema,
  STREAMS,
  calendarForInstrument,
  marketCalendar,
  subjects,
} from "@rea/contracts";
import type { Alert, MarketCalendar, PriceMessage, Rule } from "@rea/contracts";
import { RuleEngine } from "@rea/engine";
import type { EngineSnapshot, PriceTick } from "@rea/engine";
import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import type { Logger } from "pino";
import { Ownership } from "./partitions.js";
import { SnapshotRecordSchema, SnapshotStore } from "./snapshot-store.js";

export interface EvaluatorOptions {
  nc: NatsConnection;
  logger: Logger;
  durable: string;
  snapshotIntervalMs: number;
  staleCheckIntervalMs: number;
  /** which instruments this instance evaluates (default: all) */
  ownership?: Ownership;
  now?: () => number;
}

export interface EvaluatorStatus {
  lastSeq: number;
  rules: number;
  instruments: number;
  alertsPublished: number;
  pricesEvaluated: number;
  consumerPending: number | undefined;
}

export class Evaluator {
  private engine!: RuleEngine;
  private readonly units = new Map<string, string>();
  private readonly fx = new Set<string>();
  /** each instrument's trading calendar: stale rules count open market time only */
  private readonly calendars = new Map<string, MarketCalendar>();
  private readonly ownership: Ownership;
  /** the tail of the serial chain every engine step runs on */
  private chain: Promise<unknown> = Promise.resolve();
  private lastSeq = 0;
  private alertsPublished = 0;
  private pricesEvaluated = 0;
  private consumer: ConsumerHandle | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly stops: Array<() => void> = [];
  private rulesView: LiveView | undefined;
  private stopping = false;
  private snapshots!: SnapshotStore<EngineSnapshot>;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly opts: EvaluatorOptions) {
    this.now = opts.now ?? Date.now;
    this.log = opts.logger;
    this.ownership = opts.ownership ?? Ownership.all();
  }

  /** Runs one engine step after the previous one has finished. */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Prices this instance evaluates: its own instruments, and every FX rate (for conversions). */
  private reads(instrument: string): boolean {
    return this.ownership.owns(instrument) || this.fx.has(instrument);
  }

  async start(): Promise<void> {
    const { nc, durable } = this.opts;
    // the catalogue first: restoring a snapshot drops instruments the catalogue does not know
    await this.followInstruments();
    const engineOpts = {
      unitOf: (id: string) => this.units.get(id),
      calendarOf: (id: string) => this.calendars.get(id),
    };
    this.snapshots = new SnapshotStore(
      await TypedBucket.open(nc, BUCKETS.EVALUATOR_STATE, SnapshotRecordSchema),
      `snapshot.${durable}`,
    );
    const saved = await this.snapshots.load().catch((e: unknown) => {
      this.log.error({ err: e }, "snapshot unreadable: rebuilding state from the whole PRICES stream");
      return undefined;
    });
    this.engine = saved === undefined ? new RuleEngine(engineOpts) : RuleEngine.restore(saved.state, engineOpts);
    this.lastSeq = saved?.seq ?? 0;
    await this.followRules();

    // everything up to the ack floor has had its alerts published: rebuild state from it silently,
    // then restart the consumer right after it, dropping what a crashed predecessor held in flight
    const spec = {
      stream: STREAMS.PRICES.name,
      durable,
      filterSubject: "prices.>",
      maxAckPending: 1,
      ackWaitMs: 30_000,
    };
    const floor = (await consumerAckFloor(nc, spec.stream, durable)) ?? this.lastSeq;
    await this.catchUp(floor);
    await recreateConsumer(nc, spec, floor + 1);

    this.consumer = await consumeJson({
      nc,
      stream: STREAMS.PRICES.name,
      durable,
      schema: PriceMessageSchema,
      origin: "evaluator",
      logger: this.log,
      handle: (p, ctx) => this.onPrice(p, ctx),
    });
    this.timers.push(setInterval(() => void this.saveSnapshot(), this.opts.snapshotIntervalMs));
    this.timers.push(setInterval(() => void this.serial(() => this.checkStale()), this.opts.staleCheckIntervalMs));
    const stateSub = this.answerRuleState();
    this.stops.push(() => stateSub.unsubscribe());
    // the api asks after a rule write, so that the very next price sees it
    const appliedSub = this.opts.nc.subscribe(RULES_APPLIED_SUBJECT, {
      callback: (err, msg) => {
        if (!err) msg.respond(JSON.stringify({ appliedRevision: this.rulesView?.appliedRevision() ?? 0 }));
      },
    });
    this.stops.push(() => appliedSub.unsubscribe());
    this.log.info(
      { rules: this.engine.ruleCount(), fromSeq: this.lastSeq, owns: this.ownership.describe() },
      "evaluator running",
    );
  }

  private async followInstruments(): Promise<void> {
    const bucket = await TypedBucket.open(this.opts.nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
    const view = await bucket.live(
      (c) => {
        if (c.op === "put") {
          this.units.set(c.key, c.value.unit);
          this.calendars.set(c.key, marketCalendar(calendarForInstrument(c.value)));
          if (c.value.kind === "fx") this.fx.add(c.key);
        } else {
          this.units.delete(c.key);
          this.calendars.delete(c.key);
          this.fx.delete(c.key);
        }
      },
      (key, err) => this.log.error({ key, err }, "invalid instrument record ignored"),
    );
    this.stops.push(() => view.stop());
  }

  /**
   * The rule set, then every change to it. The current rules load in one
   * batch (laid out for speed: see RuleEngine.upsertRules); rules a restored
   * snapshot holds that are no longer in the bucket, or no longer in this
   * evaluator's partitions (deleted or moved while it was down), are removed.
   */
  private async followRules(): Promise<void> {
    const bucket = await TypedBucket.open(this.opts.nc, BUCKETS.RULES, RuleSchema);
    const view = await bucket.live(
      (c) => {
        if (c.op === "put") {
          if (this.ownership.owns(c.value.instrument)) {
            // a rule the engine refuses (unknown instrument, wrong unit) must not stop the watch
            try {
              this.engine.upsertRule(c.value);
            } catch (e) {
              this.log.error({ key: c.key, err: e }, "rule refused by the engine; ignored");
            }
          }
        } else {
          this.engine.removeRule(c.key.slice(c.key.indexOf(".") + 1));
        }
      },
      (key, err) => this.log.error({ key, err }, "invalid rule record ignored"),
      (current) => {
        const owned: Rule[] = [];
        for (const c of current) if (c.op === "put" && this.ownership.owns(c.value.instrument)) owned.push(c.value);
        const keep = new Set(owned.map((r) => r.id));
        let removed = 0;
        for (const id of this.engine.ruleIds()) {
          if (keep.has(id)) continue;
          this.engine.removeRule(id);
          removed++;
        }
        for (const { rule, error } of this.engine.upsertRules(owned)) {
          this.log.error({ ruleId: rule.id, userId: rule.userId, err: error }, "rule refused by the engine; ignored");
        }
        this.log.info({ rules: owned.length, removed }, "rules loaded");
      },
    );
    this.rulesView = view;
    this.stops.push(() => view.stop());
  }

  /** Replays prices after the snapshot up to the ack floor: state only, their alerts already went out. */
  private async catchUp(floor: number): Promise<void> {
    if (floor <= this.lastSeq) return;
    let replayed = 0;
    for await (const m of readStream(this.opts.nc, {
      stream: STREAMS.PRICES.name,
      filterSubject: "prices.>",
      fromSeq: this.lastSeq + 1,
      toSeq: floor,
    })) {
      const parsed = safeJson(m.data);
      const p = PriceMessageSchema.safeParse(parsed);
      // what evaluate dead-lettered live is skipped here alike, so the state rebuilt is the state lost
      if (p.success && this.refusal(p.data, m.subject) === undefined && this.reads(p.data.instrument)) {
        this.engine.onPrice(tickOf(p.data, m.seq));
      }
      this.lastSeq = m.seq;
      replayed++;
    }
    this.log.info({ replayed, toSeq: floor }, "state rebuilt from PRICES after the snapshot");
  }

  private onPrice(p: PriceMessage, ctx: MessageContext): Promise<void> {
    return this.serial(() => this.evaluate(p, ctx));
  }

  /** Why a valid price message cannot be evaluated, or undefined: live it is dead-lettered, on a rebuild skipped. */
  private refusal(p: PriceMessage, subject: string): string | undefined {
    const unit = this.units.get(p.instrument);
    if (unit === undefined) return `unknown instrument ${p.instrument}`;
    if (unit !== p.unit) return `${p.instrument} is quoted in ${unit}, not ${p.unit}`;
    if (subject !== subjects.price(p.instrument)) return `price for ${p.instrument} arrived on ${subject}`;
    return undefined;
  }

  private async evaluate(p: PriceMessage, ctx: MessageContext): Promise<void> {
    if (ctx.streamSeq <= this.lastSeq) return; // already in the state (replayed or snapshotted)
    const refused = this.refusal(p, ctx.subject);
    if (refused !== undefined) throw new AppError("UNPROCESSABLE", refused);
    if (!this.reads(p.instrument)) {
      this.lastSeq = ctx.streamSeq; // another partition's instrument
      return;
    }
    const decisions = this.engine.onPrice(tickOf(p, ctx.streamSeq));
    this.lastSeq = ctx.streamSeq;
    this.pricesEvaluated++;
    if (ctx.headers.get(HEADERS.ALERTS) === "off") return;
    for (const d of decisions) {
      if (d.kind === "alert") await this.publishAlert(d.alert, ctx);
      else this.log.info({ ruleId: d.ruleId, reason: d.reason }, "rule finished");
    }
  }

  /** Publishes until the stream acknowledges: the engine has moved on, so the alert must not be dropped. */
  private async publishAlert(alert: Alert, ctx?: MessageContext): Promise<void> {
    const js = jetstream(this.opts.nc);
    for (let attempt = 1; ; attempt++) {
      try {
        const ack = await publishJson(js, subjects.alert(alert.userId), AlertSchema, alert, { msgId: alert.id });
        if (!ack.duplicate) this.alertsPublished++;
        this.log.info({ alertId: alert.id, userId: alert.userId, duplicate: ack.duplicate }, "alert published");
        return;
      } catch (e) {
        if (e instanceof AppError && !e.retryable) {
          this.log.error({ err: e, alertId: alert.id }, "alert failed validation and was not published");
          return;
        }
        if (this.stopping && attempt > 3) throw e;
        ctx?.working();
        const wait = Math.min(5000, 100 * 2 ** attempt);
        this.log.warn({ err: e, alertId: alert.id, attempt }, "alert publish failed; retrying");
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async checkStale(): Promise<void> {
    for (const d of this.engine.onClock(this.now())) {
      if (d.kind === "alert") await this.publishAlert(d.alert);
    }
  }

  /** Captures the state between two engine steps, then writes it without holding up the next step. */
  async saveSnapshot(): Promise<void> {
    const captured = await this.serial(() => Promise.resolve({ seq: this.lastSeq, state: this.engine.snapshot() }));
    try {
      await this.snapshots.save(captured, this.now());
    } catch (e) {
      this.log.warn({ err: e }, "snapshot failed; will try again");
    }
  }

  private answerRuleState(): Subscription {
    // every instance hears the question; only the one holding the rule answers
    return this.opts.nc.subscribe(RULE_STATE_SUBJECT, {
      callback: (err, msg) => {
        if (err) return;
        try {
          const { ruleId } = msg.json<{ ruleId: string }>();
          const state = this.engine.ruleState(ruleId);
          if (state !== undefined) msg.respond(JSON.stringify({ state }));
        } catch {
          // not a question we can answer
        }
      },
    });
  }

  status(): EvaluatorStatus {
    return {
      lastSeq: this.lastSeq,
      rules: this.engine.ruleCount(),
      instruments: this.units.size,
      alertsPublished: this.alertsPublished,
      pricesEvaluated: this.pricesEvaluated,
      consumerPending: undefined,
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearInterval(t);
    await this.consumer?.stop();
    await this.chain;
    for (const s of this.stops) s();
    await this.saveSnapshot();
  }
}

function safeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(data));
  } catch {
    return undefined;
  }
}

function tickOf(p: PriceMessage, seq: number): PriceTick {
  return {
    instrument: p.instrument,
    price: p.price,
    unit: p.unit,
    ts: p.ts,
    tsMs: Date.parse(p.ts),
    source: p.source,
    seq,
  };
}
