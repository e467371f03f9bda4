/**
 * The raw JetStream baseline of the same run: a scratch stream `BENCH` (file
 * storage, like PRICES) gets messages of a price message's size, published one
 * ack at a time and then with a window in flight; two durable pull consumers
 * read them back, acking each: one with room for 1000 unacked messages, one
 * with max_ack_pending 1 as the evaluator runs.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  jetstream,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { PriceMessage } from "@rea/contracts";
import { priceMsgId } from "@rea/contracts";
import { rate } from "./report.js";
import type { BenchResult, Rate } from "./report.js";
import { windowed } from "./windowed.js";

const STREAM = "BENCH";

type Progress = (line: string) => void;

async function publishAll(nc: NatsConnection, prices: PriceMessage[], window: number, tag: string): Promise<Rate> {
  const js = jetstream(nc);
  const enc = new TextEncoder();
  const start = performance.now();
  await windowed(prices.length, window, async (i) => {
    const p = prices[i] as PriceMessage;
    // the same dedupe header as a price, so the server does the same work
    await js.publish(`bench.${p.instrument}`, enc.encode(JSON.stringify(p)), { msgID: `${tag}:${priceMsgId(p)}` });
  });
  return rate(prices.length, performance.now() - start);
}

async function consumeAll(nc: NatsConnection, durable: string, maxAckPending: number, count: number): Promise<Rate> {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(STREAM, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: maxAckPending,
  });
  const consumer = await jetstream(nc).consumers.get(STREAM, durable);
  const start = performance.now();
  const messages = await consumer.consume({ max_messages: maxAckPending > 1 ? 1000 : 64 });
  let seen = 0;
  for await (const m of messages) {
    seen++;
    if (seen < count) {
      m.ack();
      continue;
    }
    await m.ackAck(); // acks travel in order: once this one is confirmed, all are
    break;
  }
  const elapsed = performance.now() - start;
  await messages.close();
  return rate(seen, elapsed);
}

/** `prices` are the payloads: the first half is published one ack at a time, the second windowed. */
export async function rawBaseline(
  nc: NatsConnection,
  prices: PriceMessage[],
  window: number,
  progress: Progress,
): Promise<BenchResult["raw"]> {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({
    name: STREAM,
    subjects: ["bench.>"],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
  });
  const half = Math.floor(prices.length / 2);
  const first = prices.slice(0, half);
  const second = prices.slice(half);
  try {
    progress(`raw: publishing ${half} messages, one ack at a time`);
    const publishSequential = await publishAll(nc, first, 1, "seq");
    progress(`raw: publishing ${second.length} messages, ${window} in flight`);
    const publishWindowed = await publishAll(nc, second, window, "win");
    progress(`raw: consuming ${prices.length} messages (max_ack_pending 1000)`);
    const consume = await consumeAll(nc, "bench-all", 1000, prices.length);
    progress(`raw: consuming ${half} messages (max_ack_pending 1)`);
    const consumeInOrder = await consumeAll(nc, "bench-in-order", 1, half);
    const bytes = prices.reduce((sum, p) => sum + Buffer.byteLength(JSON.stringify(p)), 0);
    const payloadBytes = Math.round(bytes / Math.max(1, prices.length));
    return { payloadBytes, publishSequential, publishWindowed, consume, consumeInOrder };
  } finally {
    await jsm.streams.delete(STREAM);
  }
}
