/**
 * The poll feed: GET a quote endpoint on a node-cron schedule in the feed's
 * timezone (skipping days its market is closed), read the body in the feed's
 * format and offer each price to the gate. A failed poll (HTTP error, timeout,
 * network error, malformed body) publishes nothing and marks the feed failing
 * with the reason until a poll succeeds; a malformed body is also dead-lettered
 * once per failure episode so the operator can see what came back.
 */
import { publishDeadLetter } from "@rea/bus";
import { marketCalendar } from "@rea/contracts";
import type { JetStreamClient } from "@nats-io/jetstream";
import { schedule } from "node-cron";
import type { Logger } from "pino";
import type { FeedMonitor } from "../feed-monitor.js";
import type { PollFeed } from "../poll-config.js";
import type { GateOutcome, PriceGate } from "../price-gate.js";
import { fetchQuote } from "./http-quote.js";
import { parseJsonQuotes } from "./json-quotes.js";
import { QuoteFormatError } from "./parsed-quotes.js";
import type { ParsedQuotes } from "./parsed-quotes.js";
import { parseSinaQuotes } from "./sina-quotes.js";

export interface PollDeps {
  gate: PriceGate;
  monitor: FeedMonitor;
  js: JetStreamClient;
  logger: Logger;
  now: () => number;
}

export type PollOutcome =
  { ok: true; outcomes: Record<GateOutcome, number>; skipped: string[] } | { ok: false; code: string; reason: string };

const DEAD_LETTER_BYTES = 64 * 1024;

function parseBody(feed: PollFeed, body: string, fetchedAtMs: number): ParsedQuotes {
  const source = feed.source ?? feed.name;
  if (feed.format.type === "sina") return parseSinaQuotes(body, { source, instruments: feed.instruments });
  return parseJsonQuotes(body, feed.format, {
    source,
    timeZone: feed.timezone,
    fetchedAtMs,
    instruments: feed.instruments,
  });
}

/** One poll: fetch, parse, offer. Callable directly; the schedule only decides when. */
export async function pollOnce(
  feed: PollFeed,
  deps: PollDeps,
  signal: AbortSignal = new AbortController().signal,
): Promise<PollOutcome> {
  const log = deps.logger.child({ feed: feed.name });
  const fetchedAtMs = deps.now();
  const res = await fetchQuote(feed.url, {
    headers: feed.headers,
    timeoutMs: feed.timeoutMs,
    signal,
    defaultCharset: feed.format.type === "sina" ? "gb18030" : "utf-8",
  });
  if (signal.aborted) return { ok: false, code: "STOPPED", reason: "the service is stopping" };
  let parsed: ParsedQuotes | undefined;
  let failure: { code: string; reason: string } | undefined = res.ok ? undefined : res;
  if (res.ok) {
    try {
      parsed = parseBody(feed, res.body, fetchedAtMs);
    } catch (e) {
      if (!(e instanceof QuoteFormatError)) throw e;
      failure = { code: "MALFORMED", reason: e.message };
    }
  }
  if (failure !== undefined || parsed === undefined) {
    const { code, reason } = failure ?? { code: "MALFORMED", reason: "no quotes" };
    const news = deps.monitor.failed(feed.name, code, reason, deps.now());
    if (news && code === "MALFORMED" && res.bytes !== undefined) {
      await publishDeadLetter(deps.js, {
        origin: "ingest",
        subject: `feed.${feed.name}`,
        reason: `POLL_MALFORMED: ${reason}`,
        payload: res.bytes.subarray(0, DEAD_LETTER_BYTES),
        nowMs: deps.now(),
      });
    }
    return { ok: false, code, reason };
  }
  deps.monitor.succeeded(feed.name, deps.now());
  const outcomes: Record<GateOutcome, number> = { published: 0, duplicate: 0, rejected: 0, suspect: 0 };
  for (const obs of parsed.observations) {
    outcomes[await deps.gate.offerObservation(feed.name, obs, feed.horizonDays, feed.maxMovePct)]++;
  }
  if (parsed.skipped.length > 0) log.debug({ skipped: parsed.skipped }, "quotes without a price skipped");
  return { ok: true, outcomes, skipped: parsed.skipped };
}

export interface PollTask {
  /** when the schedule fires next */
  nextRun(): Date | null;
  stop(): Promise<void>;
}

/** Runs `pollOnce` on the feed's schedule until stopped; `onTick` hears every scheduled run. */
export function startPollFeed(
  feed: PollFeed,
  deps: PollDeps,
  onTick?: (result: PollOutcome | "market closed") => void,
): PollTask {
  const log = deps.logger.child({ feed: feed.name });
  const calendar = deps.monitor.calendarOf(feed.name) ?? marketCalendar(feed.calendar);
  const abort = new AbortController();
  let inflight: Promise<void> = Promise.resolve();
  const task = schedule(
    feed.schedule,
    () => {
      if (!calendar.isTradingDay(calendar.localDate(deps.now()))) {
        onTick?.("market closed");
        return;
      }
      inflight = pollOnce(feed, deps, abort.signal).then(
        (result) => onTick?.(result),
        (err: unknown) => log.error({ err }, "poll failed to publish"),
      );
      return inflight;
    },
    {
      timezone: feed.timezone,
      name: `poll-${feed.name}`,
      noOverlap: true,
      logger: {
        info: (m) => log.info(m),
        warn: (m) => log.warn(m),
        error: (m, err) => log.error({ err: err ?? m }, "scheduler error"),
        debug: (m) => log.debug({ detail: m }, "scheduler"),
      },
    },
  );
  log.info({ schedule: feed.schedule, timezone: feed.timezone, calendar: feed.calendar }, "poll feed scheduled");
  return {
    nextRun: () => task.getNextRun(),
    stop: async () => {
      abort.abort();
      await task.stop();
      await task.destroy();
      await inflight;
    },
  };
}
