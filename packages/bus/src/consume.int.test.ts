import { AppError, DeadLetterSchema, PriceMessageSchema, STREAMS, subjects } from "@rea/contracts";
import type { DeadLetter, PriceMessage } from "@rea/contracts";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { consumeJson } from "./consume.js";
import type { ConsumerHandle } from "./consume.js";
import { silentLogger } from "./logger.js";
import { ensureConsumer } from "./provision.js";
import { startTestBus } from "./testing.js";
import type { TestBus } from "./testing.js";
import { readStream } from "./stream-reader.js";

let bus: TestBus;
let nc: NatsConnection;
let durable: string;
let n = 0;
const handles: ConsumerHandle[] = [];

beforeAll(async () => {
  bus = await startTestBus();
  nc = bus.nc;
});
afterAll(async () => {
  await bus.stop();
});
beforeEach(async () => {
  await bus.purge(STREAMS.PRICES.name, STREAMS.DEADLETTER.name);
  durable = `test${++n}`;
  // a message the client had pulled when a consumer stops comes back after ack_wait at the latest
  await ensureConsumer(nc, {
    stream: STREAMS.PRICES.name,
    durable,
    filterSubject: "prices.>",
    maxAckPending: 1,
    ackWaitMs: 3000,
  });
});
afterEach(async () => {
  for (const h of handles.splice(0)) await h.stop();
});

const price = (p: number, day = 1): PriceMessage => ({
  instrument: "PRND_OXIDE",
  price: p,
  unit: "CNY/t",
  ts: `2025-02-${String(day).padStart(2, "0")}T00:00:00Z`,
  source: "smm",
});

async function publishRaw(subject: string, body: string): Promise<void> {
  await jetstream(nc).publish(subject, body);
}

async function deadLetters(): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for await (const m of readStream(nc, { stream: STREAMS.DEADLETTER.name })) {
    out.push(DeadLetterSchema.parse(JSON.parse(new TextDecoder().decode(m.data))));
  }
  return out;
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(
  handle: (p: PriceMessage) => Promise<void>,
  extra: { maxDeliver?: number; backoffMs?: () => number } = {},
) {
  const h = await consumeJson({
    nc,
    stream: STREAMS.PRICES.name,
    durable,
    schema: PriceMessageSchema,
    origin: "test",
    logger: silentLogger,
    handle,
    ...extra,
  });
  handles.push(h);
  return h;
}

/**
 * A consumer with a 1.5 s ack wait that may hold several messages, over prices of days 1..count
 * already published; returns the options that consume from it.
 */
async function shortAckWait(name: string, count: number) {
  await ensureConsumer(nc, {
    stream: STREAMS.PRICES.name,
    durable: name,
    filterSubject: "prices.>",
    maxAckPending: 16,
    ackWaitMs: 1500,
  });
  for (let d = 1; d <= count; d++) await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify(price(d, d)));
  return {
    nc,
    stream: STREAMS.PRICES.name,
    durable: name,
    schema: PriceMessageSchema,
    origin: "test",
    logger: silentLogger,
  };
}

describe("consumeJson", () => {
  it("dead-letters bad JSON and invalid prices with the reason, and still processes the next good price", async () => {
    await publishRaw(subjects.price("PRND_OXIDE"), "{not json");
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify({ ...price(1), price: -5 }));
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify({ ...price(1), price: "444000" }));
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify(price(444000)));
    const seen: number[] = [];
    const h = await start((p) => {
      seen.push(p.price);
      return Promise.resolve();
    });
    await until(() => seen.length === 1 && h.stats().deadLettered === 3);
    expect(seen).toEqual([444000]);
    const letters = await deadLetters();
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringMatching(/^not valid JSON/),
      "invalid message: price: price must be greater than 0",
      "invalid message: price: price must be a number",
    ]);
    expect(letters[0]).toMatchObject({
      origin: "test",
      subject: "prices.PRND_OXIDE",
      stream: "PRICES",
      streamSeq: 1,
      payload: "{not json",
      encoding: "utf8",
    });
    expect(letters[1]?.details).toEqual([{ path: "price", message: "price must be greater than 0" }]);
  });

  it("dead-letters a message whose handler fails terminally, without holding back the rest", async () => {
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify(price(1, 1)));
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify(price(2, 2)));
    const seen: number[] = [];
    const h = await start((p) => {
      if (p.price === 1) throw new AppError("UNPROCESSABLE", "unknown instrument PRND_OXIDE");
      seen.push(p.price);
      return Promise.resolve();
    });
    await until(() => seen.length === 1 && h.stats().deadLettered === 1);
    expect((await deadLetters())[0]?.reason).toBe("unknown instrument PRND_OXIDE");
  });

  it("redelivers after a retryable failure and gives up into the dead letter after maxDeliver", async () => {
    await publishRaw(subjects.price("PRND_OXIDE"), JSON.stringify(price(7)));
    let calls = 0;
    const h = await start(
      () => {
        calls++;
        throw new AppError("UNAVAILABLE", "smtp down", { retryable: true });
      },
      { maxDeliver: 3, backoffMs: () => 10 },
    );
    await until(() => h.stats().deadLettered === 1);
    expect(calls).toBe(3);
    expect((await deadLetters())[0]?.reason).toBe("gave up after 3 deliveries: smtp down");
  });

  it("loses nothing when stopped mid-stream: a new consumer picks up exactly the rest", async () => {
    const total = 300;
    const js = jetstream(nc);
    await Promise.all(
      Array.from({ length: total }, (_, i) => js.publish(subjects.price("PRND_OXIDE"), JSON.stringify(price(i + 1)))),
    );
    const seen = new Set<number>();
    let count = 0;
    const first = await start(async (p) => {
      await new Promise((r) => setTimeout(r, 1));
      seen.add(p.price);
      count++;
    });
    await until(() => count >= 50);
    await first.stop();
    handles.splice(handles.indexOf(first), 1);
    const afterStop = count;
    expect(afterStop).toBeLessThan(total);
    await start((p) => {
      seen.add(p.price);
      count++;
      return Promise.resolve();
    });
    await until(() => seen.size === total);
    expect(seen.size).toBe(total);
    // nothing processed twice: every acked message stays acked across the stop
    expect(count).toBe(total);
  });

  it("keeps slow messages and those queued behind them in progress: none is delivered a second time", async () => {
    // handlers longer than the ack wait, and messages that wait longer than it before a handler is free
    const calls: number[] = [];
    const h = await consumeJson({
      ...(await shortAckWait(`${durable}slow`, 4)),
      concurrency: 2,
      handle: async (p) => {
        calls.push(p.price);
        await new Promise((r) => setTimeout(r, 2000));
      },
    });
    handles.push(h);
    await until(() => h.stats().processed === 4, 20_000);
    // a redelivered copy would have come within one ack wait
    await new Promise((r) => setTimeout(r, 2000));
    expect(calls.sort((a, b) => a - b)).toEqual([1, 2, 3, 4]);
    expect(h.stats()).toMatchObject({ processed: 4, retried: 0, deadLettered: 0 });
  });

  it("finishes the message being handled when stopped, and the next consumer gets each of the rest once", async () => {
    const opts = await shortAckWait(`${durable}stop`, 5);
    const started: number[] = [];
    const first = await consumeJson({
      ...opts,
      handle: async (p) => {
        started.push(p.price);
        await new Promise((r) => setTimeout(r, 300));
      },
    });
    await until(() => started.length === 1);
    await first.stop();
    expect(started).toEqual([1]);
    expect(first.stats().processed).toBe(1);
    const rest: number[] = [];
    const second = await consumeJson({
      ...opts,
      handle: (p) => {
        rest.push(p.price);
        return Promise.resolve();
      },
    });
    handles.push(second);
    await until(() => rest.length >= 4, 10_000);
    // a second copy of any would have come within one more ack wait
    await new Promise((r) => setTimeout(r, 2000));
    expect(rest.sort((a, b) => a - b)).toEqual([2, 3, 4, 5]);
  });
});
