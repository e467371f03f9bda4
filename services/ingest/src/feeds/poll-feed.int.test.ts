import { readStream } from "@rea/bus";
import { startTestBus } from "@rea/bus/testing";
import type { TestBus } from "@rea/bus/testing";
import { DeadLetterSchema, INSTRUMENT_CATALOGUE, PriceMessageSchema, STREAMS } from "@rea/contracts";
import { createLogger, createMetricsRegistry } from "@rea/runtime";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FeedMonitor } from "../feed-monitor.js";
import { registerIngestMetrics } from "../ingest-metrics.js";
import { PollFeedSchema } from "../poll-config.js";
import type { PollFeed } from "../poll-config.js";
import { PriceGate } from "../price-gate.js";
import { pollOnce, startPollFeed } from "./poll-feed.js";
import type { PollDeps, PollOutcome } from "./poll-feed.js";
import { loadFixture, startQuoteServer } from "./test-quote-server.js";
import type { QuoteServer } from "./test-quote-server.js";

let bus: TestBus;
let nc: NatsConnection;
let quotes: QuoteServer;
const catalogue = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i]));
const logger = createLogger("ingest", "silent");
/** Monday 2025-03-03, 10:00 in Shanghai: the A-share market is open */
const NOW = Date.parse("2025-03-03T02:00:00Z");
const A_SHARES = loadFixture("sina-a-shares.txt");

beforeAll(async () => {
  bus = await startTestBus();
  nc = bus.nc;
});
afterAll(async () => {
  await bus.stop();
});
beforeEach(async () => {
  await bus.purge(STREAMS.PRICES.name, STREAMS.DEADLETTER.name);
  quotes = await startQuoteServer({ body: A_SHARES });
});
afterEach(async () => {
  await quotes.close();
});

function sinaFeed(extra: object = {}): PollFeed {
  return PollFeedSchema.parse({
    name: "sina-a",
    type: "poll",
    url: quotes.url,
    format: { type: "sina" },
    schedule: "*/1 * * * * *",
    cadence: "1m",
    calendar: "cn",
    timeoutMs: 300,
    source: "sina",
    ...extra,
  });
}

function deps(now = () => NOW): PollDeps & { monitor: FeedMonitor; gate: PriceGate } {
  const gate = new PriceGate({
    js: jetstream(nc),
    unitOf: (id) => catalogue.get(id)?.unit,
    instrumentOf: (id) => catalogue.get(id),
    now,
    logger,
  });
  const monitor = new FeedMonitor({ gate, logger, startedAtMs: NOW });
  return { gate, monitor, js: jetstream(nc), logger, now };
}

async function stored(stream: string): Promise<unknown[]> {
  const out: unknown[] = [];
  const jsm = await jetstreamManager(nc);
  if ((await jsm.streams.info(stream)).state.messages === 0) return out;
  for await (const m of readStream(nc, { stream })) out.push(JSON.parse(new TextDecoder().decode(m.data)));
  return out;
}
const prices = async () =>
  (await stored(STREAMS.PRICES.name)).map((p) => {
    const m = PriceMessageSchema.parse(p);
    return `${m.instrument} ${m.price} ${m.unit} ${m.ts} ${m.source}`;
  });

describe("poll feed", () => {
  it("publishes the recorded Sina A-share and Hong Kong quotes with the catalogue's units", async () => {
    const d = deps();
    expect(await pollOnce(sinaFeed(), d)).toEqual({
      ok: true,
      outcomes: { published: 3, duplicate: 0, rejected: 0, suspect: 0 },
      skipped: [],
    });
    quotes.reply({ body: loadFixture("sina-hk.txt") });
    await pollOnce(sinaFeed({ name: "sina-hk", calendar: "hk" }), d);
    expect(await prices()).toEqual([
      "SH600111 23.58 CNY/share 2025-02-28T07:00:00Z sina",
      "SZ300748 15.32 CNY/share 2025-02-28T07:00:03Z sina",
      "SZ000831 36.1 CNY/share 2025-02-28T07:00:00Z sina",
      "HK00769 0.66 HKD/share 2025-02-28T08:08:00Z sina",
      "HK06680 11.38 HKD/share 2025-02-28T08:08:00Z sina",
    ]);
  });

  it("publishes a JSON endpoint's prices through the field mapping", async () => {
    quotes.reply({ body: loadFixture("agency-prices.json.txt"), contentType: "application/json" });
    const feed = PollFeedSchema.parse({
      name: "agency",
      type: "poll",
      url: quotes.url,
      format: {
        type: "json",
        items: "data.prices",
        instrument: "product",
        price: "avg",
        ts: { path: "date", format: "local" },
      },
      instruments: {
        "Pr-Nd oxide": "PRND_OXIDE",
        "Pr-Nd alloy": "PRND_ALLOY",
        "Dy oxide": "DY_OXIDE",
        "Tb oxide": "TB_OXIDE",
      },
      schedule: "0 30 17 * * 1-5",
      cadence: "1d",
      calendar: "daily",
      source: "smm",
    });
    const result = await pollOnce(feed, deps());
    expect(result).toMatchObject({ ok: true, skipped: ["Gd oxide: no price"] });
    expect(await prices()).toEqual([
      "PRND_OXIDE 444000 CNY/t 2025-02-27T16:00:00Z smm",
      "PRND_ALLOY 546500 CNY/t 2025-02-27T16:00:00Z smm",
      "DY_OXIDE 1710 CNY/kg 2025-02-27T16:00:00Z smm",
      "TB_OXIDE 6475 CNY/kg 2025-02-27T16:00:00Z smm",
    ]);
  });

  it("reports HTTP 500, malformed bodies, non-numbers and timeouts as failures, publishes nothing, then recovers", async () => {
    const d = deps();
    const feed = sinaFeed({ source: "sina-recovery" });
    d.monitor.add(feed);
    const failures: PollOutcome[] = [];
    quotes.reply({ status: 500, body: "Internal error" });
    failures.push(await pollOnce(feed, d));
    expect(d.monitor.status(NOW)["sina-a"]).toMatchObject({
      state: "failing",
      failure: { code: "HTTP_STATUS", reason: "HTTP 500 Internal Server Error", attempts: 1 },
    });
    quotes.reply({ body: "<html>Service unavailable</html>" });
    failures.push(await pollOnce(feed, d));
    quotes.reply({ body: Buffer.from(A_SHARES).toString("latin1").replace(",23.580,23.750,", ",--,23.750,") });
    failures.push(await pollOnce(feed, d));
    quotes.reply({ hang: true });
    failures.push(await pollOnce(feed, d));
    expect(failures).toEqual([
      { ok: false, code: "HTTP_STATUS", reason: "HTTP 500 Internal Server Error" },
      { ok: false, code: "MALFORMED", reason: "line 1 is not a Sina quote: <html>Service unavailable</html>" },
      { ok: false, code: "MALFORMED", reason: 'sh600111 field 3 (price) is not a number: "--"' },
      { ok: false, code: "TIMEOUT", reason: "no complete answer within 300 ms" },
    ]);
    expect(await prices()).toEqual([]);
    // the malformed body is kept once per failure episode, for the operator to look at
    const letters = (await stored(STREAMS.DEADLETTER.name)).map((l) => DeadLetterSchema.parse(l));
    expect(letters.map((l) => [l.subject, l.reason, l.payload])).toEqual([
      [
        "feed.sina-a",
        "POLL_MALFORMED: line 1 is not a Sina quote: <html>Service unavailable</html>",
        "<html>Service unavailable</html>",
      ],
    ]);
    expect(d.monitor.status(NOW)["sina-a"]).toMatchObject({
      state: "failing",
      failure: { code: "TIMEOUT", attempts: 4 },
    });

    quotes.reply({ body: A_SHARES });
    expect(await pollOnce(feed, d)).toMatchObject({ ok: true, outcomes: { published: 3 } });
    expect(d.monitor.status(NOW)["sina-a"]).toMatchObject({ state: "ok", failure: null, published: 3 });
    expect(await prices()).toHaveLength(3);
  });

  it("counts prices and failures in the Prometheus metrics", async () => {
    const d = deps();
    const registry = createMetricsRegistry("ingest");
    registerIngestMetrics(registry, d.gate, d.monitor, () => NOW);
    const feed = sinaFeed({ source: "sina-metrics" });
    d.monitor.add(feed);
    quotes.reply({ status: 503 });
    await pollOnce(feed, d);
    quotes.reply({ body: A_SHARES });
    await pollOnce(feed, d);
    const text = await registry.metrics();
    const line = (name: string, labels: string) =>
      text.split("\n").find((l) => l.startsWith(`${name}{${labels}`) && l.includes('service="ingest"'));
    expect(line("ingest_prices_published_total", 'feed="sina-a"')).toMatch(/ 3$/);
    expect(line("ingest_poll_failures_total", 'feed="sina-a",reason="HTTP_STATUS"')).toMatch(/ 1$/);
    expect(line("ingest_feed_failing", 'feed="sina-a"')).toMatch(/ 0$/);
    expect(line("ingest_feed_last_observation_seconds", 'feed="sina-a"')).toMatch(
      new RegExp(` ${Date.parse("2025-02-28T07:00:03Z") / 1000}$`),
    );
  });

  it("polls on its cron schedule", async () => {
    const d = deps();
    const feed = sinaFeed({ calendar: "always", source: "sina-cron" });
    let task: { stop(): Promise<void> } | undefined;
    const first = await new Promise<PollOutcome | "market closed">((resolve) => {
      task = startPollFeed(feed, d, resolve);
    });
    await task?.stop();
    expect(first).toMatchObject({ ok: true, outcomes: { published: 3 } });
    expect(await prices()).toHaveLength(3);
  });

  it("reads the schedule in the feed's timezone", async () => {
    const feed = sinaFeed({ schedule: "0 30 17 * * 1-5", timezone: "Asia/Shanghai", calendar: "daily" });
    const task = startPollFeed(feed, deps());
    const next = task.nextRun();
    await task.stop();
    expect(next?.toISOString()).toMatch(/T09:30:00\.000Z$/);
    expect([1, 2, 3, 4, 5]).toContain(new Date((next?.getTime() ?? 0) + 8 * 3_600_000).getUTCDay());
  });

  it("does not poll on a day its market is closed", async () => {
    const saturday = Date.parse("2025-03-01T02:00:00Z");
    const d = deps(() => saturday);
    let task: { stop(): Promise<void> } | undefined;
    const first = await new Promise<PollOutcome | "market closed">((resolve) => {
      task = startPollFeed(sinaFeed(), d, resolve);
    });
    await task?.stop();
    expect(first).toBe("market closed");
    expect(quotes.requests).toBe(0);
  });
});
