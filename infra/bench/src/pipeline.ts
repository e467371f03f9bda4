/**
 * The pipeline phase: users, email channels and rules written straight into
 * their buckets, prices published onto PRICES, and the waits until the
 * evaluator's and the notifier's durable consumers have caught up.
 */
import { TypedBucket, publishJson } from "@rea/bus";
import {
  BUCKETS,
  ChannelSchema,
  PriceMessageSchema,
  RuleSchema,
  UserSchema,
  priceMsgId,
  subjects,
} from "@rea/contracts";
import type { PriceMessage, Rule } from "@rea/contracts";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { ConsumerInfo } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { rate } from "./report.js";
import type { Rate } from "./report.js";
import { windowed } from "./windowed.js";
import { makeEmailChannel, makeUser } from "./workload.js";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes `users` users with one active email channel each, then the rules (key `<userId>.<ruleId>`). */
export async function seedAccounts(nc: NatsConnection, users: number, rules: Rule[], nowIso: string): Promise<void> {
  const userBucket = await TypedBucket.open(nc, BUCKETS.USERS, UserSchema);
  const channelBucket = await TypedBucket.open(nc, BUCKETS.CHANNELS, ChannelSchema);
  const ruleBucket = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
  await windowed(users, 64, async (i) => {
    const user = makeUser(i, nowIso);
    const channel = makeEmailChannel(i, nowIso);
    await userBucket.put(user.id, user);
    await channelBucket.put(`${channel.userId}.${channel.id}`, channel);
  });
  await windowed(rules.length, 128, async (i) => {
    const rule = rules[i] as Rule;
    await ruleBucket.put(`${rule.userId}.${rule.id}`, rule);
  });
}

export interface Published {
  /** performance.now() when the first publish was issued */
  startedAt: number;
  rate: Rate;
  firstSeq: number;
  lastSeq: number;
  /** client clock (epoch ms) when each price was sent, by PRICES sequence */
  sentAt: Map<number, number>;
}

/**
 * Publishes prices with `window` in flight: as fast as the server acks, or, with
 * `perSecond`, each at its scheduled time.
 */
export async function publishPrices(
  nc: NatsConnection,
  prices: PriceMessage[],
  window: number,
  perSecond?: number,
): Promise<Published> {
  const js = jetstream(nc);
  const sentAt = new Map<number, number>();
  let firstSeq = Number.MAX_SAFE_INTEGER;
  let lastSeq = 0;
  const startedAt = performance.now();
  await windowed(prices.length, window, async (i) => {
    if (perSecond !== undefined) {
      const wait = startedAt + (i * 1000) / perSecond - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const p = prices[i] as PriceMessage;
    const sent = Date.now();
    const ack = await publishJson(js, subjects.price(p.instrument), PriceMessageSchema, p, { msgId: priceMsgId(p) });
    if (ack.duplicate) throw new Error(`price ${priceMsgId(p)} was a duplicate: the walk repeats a timestamp`);
    sentAt.set(ack.seq, sent);
    firstSeq = Math.min(firstSeq, ack.seq);
    lastSeq = Math.max(lastSeq, ack.seq);
  });
  return { startedAt, rate: rate(prices.length, performance.now() - startedAt), firstSeq, lastSeq, sentAt };
}

export interface Drained {
  /** performance.now() of the poll that saw the consumer caught up */
  at: number;
  /** the first poll: its time and the consumer's ack floor then */
  first: { at: number; ackFloor: number };
}

/** Polls a durable consumer until it has acked everything up to `lastSeq` with nothing pending. */
export async function waitDrained(
  nc: NatsConnection,
  stream: string,
  durable: string,
  lastSeq: number,
  watch: { onPoll: (info: ConsumerInfo) => void; /** throws when a service has died */ check: () => void },
  timeoutMs = 300_000,
): Promise<Drained> {
  const jsm = await jetstreamManager(nc);
  const deadline = performance.now() + timeoutMs;
  let first: Drained["first"] | undefined;
  for (let n = 0; ; n++) {
    watch.check();
    const info = await jsm.consumers.info(stream, durable);
    const now = performance.now();
    first ??= { at: now, ackFloor: info.ack_floor.stream_seq };
    if (info.num_pending === 0 && info.num_ack_pending === 0 && info.ack_floor.stream_seq >= lastSeq) {
      return { at: now, first };
    }
    if (now > deadline) {
      throw new Error(
        `${durable} on ${stream} did not catch up within ${timeoutMs / 1000} s (at ${info.ack_floor.stream_seq} of ${lastSeq})`,
      );
    }
    if (n % 50 === 0) watch.onPoll(info);
    await sleep(20);
  }
}

export async function lastSeqOf(nc: NatsConnection, stream: string): Promise<number> {
  return (await (await jetstreamManager(nc)).streams.info(stream)).state.last_seq;
}
