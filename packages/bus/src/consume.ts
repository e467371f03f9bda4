/**
 * The typed consume loop every service uses. Each message is parsed as JSON and
 * validated with zod before the handler sees it. A message that can never be
 * processed (bad JSON, invalid, a terminal error, too many deliveries) is copied
 * to the dead letter with its reason and terminated, so it never stalls the
 * consumer; a retryable error is redelivered later with backoff.
 *
 * Every message the server has delivered is taken into the loop's own queue at
 * once and kept "in progress" (`+WPI`) every third of the consumer's ack wait
 * until it is acked, naked or terminated: a message waiting behind slow ones
 * (a paced chat, a slow SMTP server) or one whose handler runs long is never
 * redelivered beside itself, which would send an alert twice.
 */
import { isAppError, issuesToDetails } from "@rea/contracts";
import type { ErrorDetail } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import type { ConsumerMessages, JsMsg } from "@nats-io/jetstream";
import type { z } from "zod";
import { publishDeadLetter } from "./dead-letter.js";
import type { BusLogger } from "./logger.js";

export interface MessageContext {
  subject: string;
  streamSeq: number;
  deliveryCount: number;
  headers: ReadonlyMap<string, string>;
  /** tell the server the message is still being worked on */
  working(): void;
}

export interface ConsumeOptions<T> {
  nc: NatsConnection;
  stream: string;
  durable: string;
  schema: z.ZodType<T>;
  /** names the dead-letter subject `deadletter.<origin>` */
  origin: string;
  logger: BusLogger;
  handle: (value: T, ctx: MessageContext) => Promise<void>;
  /** deliveries before a failing message is dead-lettered (default 5) */
  maxDeliver?: number;
  /** delay before a retryable failure is redelivered (default: 1 s doubling, at most 60 s) */
  backoffMs?: (deliveryCount: number) => number;
  /** messages handled at once (default 1: strict stream order) */
  concurrency?: number;
  /** how often each message in hand is reported in progress (default: a third of the consumer's ack wait) */
  heartbeatMs?: number;
  /** clock for dead-letter timestamps */
  now?: () => number;
}

export interface ConsumerStats {
  processed: number;
  deadLettered: number;
  retried: number;
  lastSeq: number;
}

export interface ConsumerHandle {
  stats(): ConsumerStats;
  /** stops pulling, finishes the messages being handled (those not started come back after the ack wait), resolves when the loop has ended */
  stop(): Promise<void>;
  /** resolves when the loop ends (after stop, or when the connection closes) */
  done: Promise<void>;
}

/** the server's ack wait when a consumer sets none (30 s) */
const DEFAULT_ACK_WAIT_NS = 30e9;

const defaultBackoff = (n: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, n - 1));

/** A message that can never be processed: it goes to the dead letter. */
class Terminal extends Error {
  constructor(
    readonly reason: string,
    readonly details?: ErrorDetail[],
  ) {
    super(reason);
  }
}

/**
 * Starts consuming a durable pull consumer.
 * @example const h = await consumeJson({ nc, stream: "PRICES", durable: "evaluator", schema: PriceMessageSchema, origin: "evaluator", logger, handle });
 */
export async function consumeJson<T>(opts: ConsumeOptions<T>): Promise<ConsumerHandle> {
  const js = jetstream(opts.nc);
  const consumer = await js.consumers.get(opts.stream, opts.durable);
  const concurrency = Math.max(1, opts.concurrency ?? 1);
  const ackWaitMs = ((await consumer.info(true)).config.ack_wait ?? DEFAULT_ACK_WAIT_NS) / 1e6;
  const heartbeatMs = opts.heartbeatMs ?? Math.max(100, Math.floor(ackWaitMs / 3));
  const messages: ConsumerMessages = await consumer.consume({ max_messages: Math.max(64, concurrency * 4) });
  const maxDeliver = opts.maxDeliver ?? 5;
  const backoff = opts.backoffMs ?? defaultBackoff;
  const now = opts.now ?? Date.now;
  const stats: ConsumerStats = { processed: 0, deadLettered: 0, retried: 0, lastSeq: 0 };
  const log = opts.logger;

  const toTerminal = async (m: JsMsg, t: Terminal): Promise<void> => {
    try {
      await publishDeadLetter(js, {
        origin: opts.origin,
        subject: m.subject,
        stream: opts.stream,
        streamSeq: m.seq,
        reason: t.reason,
        ...(t.details === undefined ? {} : { details: t.details }),
        payload: m.data,
        nowMs: now(),
      });
    } catch (e) {
      // without a dead letter the message must not be dropped: try again later
      log.error({ err: e, seq: m.seq }, "dead letter could not be written; message will be redelivered");
      m.nak(backoff(m.info.deliveryCount));
      return;
    }
    stats.deadLettered++;
    log.warn({ subject: m.subject, seq: m.seq, reason: t.reason }, "message dead-lettered");
    // a plain TERM: nats-server 2.9 ignores `+TERM <reason>` (2.10.4+) and would keep the message pending,
    // stalling a consumer with max_ack_pending 1; the reason travels in the dead letter instead
    m.term();
  };

  const processOne = async (m: JsMsg): Promise<void> => {
    stats.lastSeq = Math.max(stats.lastSeq, m.seq);
    let value: T;
    try {
      value = decode(m, opts.schema);
    } catch (e) {
      if (e instanceof Terminal) return toTerminal(m, e);
      throw e;
    }
    const hdrs = new Map<string, string>();
    if (m.headers) for (const [k, v] of m.headers) hdrs.set(k, v[0] ?? "");
    try {
      await opts.handle(value, {
        subject: m.subject,
        streamSeq: m.seq,
        deliveryCount: m.info.deliveryCount,
        headers: hdrs,
        working: () => m.working(),
      });
      m.ack();
      stats.processed++;
    } catch (e) {
      const retryable = isAppError(e) ? e.retryable : true;
      const reason = (e as Error).message ?? String(e);
      if (!retryable) {
        return toTerminal(m, new Terminal(reason, isAppError(e) ? e.details : undefined));
      }
      if (m.info.deliveryCount >= maxDeliver) {
        return toTerminal(m, new Terminal(`gave up after ${m.info.deliveryCount} deliveries: ${reason}`));
      }
      stats.retried++;
      // a provider may say how long to wait (Telegram's retry_after)
      const hinted = isAppError(e) ? (e.retryAfterMs ?? 0) : 0;
      const delay = Math.max(backoff(m.info.deliveryCount), hinted);
      log.warn(
        { subject: m.subject, seq: m.seq, attempt: m.info.deliveryCount, delayMs: delay, err: e },
        "retryable failure; redelivering later",
      );
      m.nak(delay);
    }
  };

  const guarded = (m: JsMsg): Promise<void> =>
    processOne(m).catch((e: unknown) => {
      log.error({ err: e, seq: m.seq }, "unexpected failure in consume loop; redelivering");
      m.nak(backoff(m.info.deliveryCount));
    });

  /** delivered and not yet acked, naked or terminated: queued or being handled */
  const inHand = new Set<JsMsg>();
  const queue: JsMsg[] = [];
  /** workers waiting for a message */
  const idle: Array<() => void> = [];
  const wakeAll = (): void => {
    for (const wake of idle.splice(0)) wake();
  };
  const heartbeat = setInterval(() => {
    for (const m of inHand) m.working();
  }, heartbeatMs);
  let stopping = false;
  let ended = false;

  const reader = (async () => {
    try {
      for await (const m of messages) {
        // pulled after stop was asked for: hand it back at once rather than leave it in flight until ack_wait
        if (stopping) {
          m.nak();
          continue;
        }
        inHand.add(m);
        queue.push(m);
        idle.shift()?.();
      }
    } finally {
      ended = true;
      wakeAll();
    }
  })();
  const worker = async (): Promise<void> => {
    for (;;) {
      const m = queue.shift();
      if (m === undefined) {
        if (ended || stopping) return;
        await new Promise<void>((resolve) => idle.push(resolve));
        continue;
      }
      try {
        await guarded(m);
      } finally {
        inHand.delete(m);
      }
    }
  };
  const done = Promise.all([reader, ...Array.from({ length: concurrency }, worker)]).then(
    () => clearInterval(heartbeat),
    (e: unknown) => {
      clearInterval(heartbeat);
      throw e;
    },
  );

  return {
    stats: () => ({ ...stats }),
    stop: async () => {
      stopping = true;
      await messages.close();
      // not started: no longer kept in progress, they come back to the next consumer after the ack wait
      // (handed back with a nak right after the pull ends, nats-server 2.9 delivered some to the pull again)
      for (const m of queue.splice(0)) inHand.delete(m);
      wakeAll();
      await done;
    },
    done,
  };
}

function decode<T>(m: JsMsg, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(m.data));
  } catch (e) {
    throw new Terminal(`not valid JSON: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues);
    throw new Terminal(
      `invalid message: ${details.map((d) => `${d.path || "(root)"}: ${d.message}`).join("; ")}`,
      details,
    );
  }
  return parsed.data;
}
