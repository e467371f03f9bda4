/**
 * Feed freshness and failures. A feed with a cadence is late when its market
 * has been open for longer than cadence + grace since the feed last brought a
 * new price (or since ingest started); it is never late while its market is
 * closed. A poll feed whose last attempt failed is failing until one succeeds.
 * Each episode is logged once when it starts and once when it ends.
 */
import { durationMs, marketCalendar } from "@rea/contracts";
import type { HolidayTable, MarketCalendar, MarketCalendarId } from "@rea/contracts";
import type { Logger } from "pino";
import type { FeedCounts } from "./price-gate.js";

/** where the monitor reads what each feed published (the price gate) */
export interface FeedCountsSource {
  counts(feed: string): FeedCounts;
}

export interface MonitoredFeed {
  name: string;
  type: string;
  cadence?: string | undefined;
  grace?: string | undefined;
  calendar: MarketCalendarId;
}

export type FeedState = "ok" | "late" | "failing" | "closed" | "done";

export interface FeedFailure {
  code: string;
  reason: string;
  since: string;
  attempts: number;
}

/** One feed in the ingest service's `$SRV` status. */
export interface FeedStatus {
  type: string;
  state: FeedState;
  calendar: MarketCalendarId;
  marketOpen: boolean;
  cadence: string | null;
  published: number;
  duplicates: number;
  rejected: Record<string, number>;
  lastObservation: string | null;
  lastNewAt: string | null;
  late: { since: string; openSeconds: number } | null;
  failure: FeedFailure | null;
}

interface Tracked {
  feed: MonitoredFeed;
  calendar: MarketCalendar;
  limitMs: number | undefined;
  done: boolean;
  lateSince: number | undefined;
  failure: (FeedFailure & { sinceMs: number }) | undefined;
  /** poll failures by code, for the metrics */
  failures: Map<string, number>;
}

const iso = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString().replace(".000Z", "Z");

export class FeedMonitor {
  private readonly feeds = new Map<string, Tracked>();

  constructor(
    private readonly opts: { gate: FeedCountsSource; logger: Logger; startedAtMs: number; holidays?: HolidayTable },
  ) {}

  add(feed: MonitoredFeed): void {
    const cadenceMs = feed.cadence === undefined ? undefined : durationMs(feed.cadence);
    const graceMs = feed.grace === undefined ? (cadenceMs ?? 0) / 2 : durationMs(feed.grace);
    this.feeds.set(feed.name, {
      feed,
      calendar: marketCalendar(feed.calendar, this.opts.holidays),
      limitMs: cadenceMs === undefined ? undefined : cadenceMs + graceMs,
      done: false,
      lateSince: undefined,
      failure: undefined,
      failures: new Map(),
    });
  }

  calendarOf(feed: string): MarketCalendar | undefined {
    return this.feeds.get(feed)?.calendar;
  }

  /** a feed that has nothing more to bring (a finished replay) is never late */
  finished(feed: string): void {
    const t = this.feeds.get(feed);
    if (t) t.done = true;
  }

  /** Records a failed attempt; true when it starts a failure episode or changes its reason. */
  failed(feed: string, code: string, reason: string, nowMs: number): boolean {
    const t = this.feeds.get(feed);
    if (t === undefined) return false;
    t.failures.set(code, (t.failures.get(code) ?? 0) + 1);
    const news = t.failure?.code !== code;
    if (news) {
      this.opts.logger.warn(
        { feed, code, reason },
        t.failure ? "feed still failing, for another reason" : "feed failing",
      );
    }
    t.failure = {
      code,
      reason,
      since: t.failure?.since ?? (iso(nowMs) as string),
      sinceMs: t.failure?.sinceMs ?? nowMs,
      attempts: (t.failure?.attempts ?? 0) + 1,
    };
    return news;
  }

  /** Records a successful attempt, ending a failure episode. */
  succeeded(feed: string, nowMs: number): void {
    const t = this.feeds.get(feed);
    if (t?.failure === undefined) return;
    const { attempts, sinceMs } = t.failure;
    this.opts.logger.info({ feed, failedAttempts: attempts, failedForMs: nowMs - sinceMs }, "feed recovered");
    t.failure = undefined;
  }

  /** Re-evaluates lateness at `nowMs`, logging the start and end of each late episode. */
  check(nowMs: number): void {
    for (const t of this.feeds.values()) {
      const late = this.lateness(t, nowMs);
      if (late !== undefined && t.lateSince === undefined) {
        t.lateSince = nowMs;
        const counts = this.opts.gate.counts(t.feed.name);
        this.opts.logger.warn(
          { feed: t.feed.name, cadence: t.feed.cadence, lastNewAt: iso(counts.lastNewAtMs), openSeconds: late / 1000 },
          "feed late",
        );
      } else if (late === undefined && t.lateSince !== undefined) {
        const why = t.calendar.isOpen(nowMs) ? "a new price arrived" : "its market closed";
        this.opts.logger.info({ feed: t.feed.name, lateForMs: nowMs - t.lateSince, why }, "feed no longer late");
        t.lateSince = undefined;
      }
    }
  }

  /** open-market time without a new price, when it exceeds the feed's limit */
  private lateness(t: Tracked, nowMs: number): number | undefined {
    if (t.done || t.limitMs === undefined || !t.calendar.isOpen(nowMs)) return undefined;
    const since = this.opts.gate.counts(t.feed.name).lastNewAtMs ?? this.opts.startedAtMs;
    const open = t.calendar.openMsBetween(since, nowMs);
    return open > t.limitMs ? open : undefined;
  }

  status(nowMs: number): Record<string, FeedStatus> {
    const out: Record<string, FeedStatus> = {};
    for (const [name, t] of this.feeds) {
      const c = this.opts.gate.counts(name);
      const open = t.calendar.isOpen(nowMs);
      const late = this.lateness(t, nowMs);
      const failure = t.failure === undefined ? null : (({ sinceMs: _, ...f }) => f)(t.failure);
      const state: FeedState = failure ? "failing" : late ? "late" : t.done ? "done" : open ? "ok" : "closed";
      out[name] = {
        type: t.feed.type,
        state,
        calendar: t.feed.calendar,
        marketOpen: open,
        cadence: t.feed.cadence ?? null,
        published: c.published,
        duplicates: c.duplicates,
        rejected: Object.fromEntries(c.rejected),
        lastObservation: iso(c.lastObservationMs),
        lastNewAt: iso(c.lastNewAtMs),
        late: late === undefined ? null : { since: iso(t.lateSince ?? nowMs) as string, openSeconds: late / 1000 },
        failure,
      };
    }
    return out;
  }

  /** poll failures by feed and code, for the metrics */
  failureCounts(): Array<{ feed: string; code: string; count: number }> {
    return [...this.feeds].flatMap(([feed, t]) => [...t.failures].map(([code, count]) => ({ feed, code, count })));
  }
}
