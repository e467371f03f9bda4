/** Starts every feed of the feeds file and stops them together. */
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "pino";
import type { FeedMonitor } from "./feed-monitor.js";
import type { Feed } from "./feeds-config.js";
import { startPollFeed } from "./feeds/poll-feed.js";
import type { PollTask } from "./feeds/poll-feed.js";
import type { ProgressBoard } from "./feeds/progress-bar.js";
import { runReplay } from "./feeds/replay-feed.js";
import type { ReplayProgress } from "./feeds/replay-feed.js";
import { runSimulation } from "./feeds/simulate-feed.js";
import type { PriceGate } from "./price-gate.js";

export interface FeedRunnerDeps {
  gate: PriceGate;
  monitor: FeedMonitor;
  js: JetStreamClient;
  logger: Logger;
  now: () => number;
  /** replay progress bars on a terminal */
  bar?: ProgressBoard;
}

export interface RunningFeeds {
  /** progress of the replay feeds */
  replays: ReadonlyMap<string, ReplayProgress>;
  stop(): Promise<void>;
}

export function startFeeds(feeds: readonly Feed[], deps: FeedRunnerDeps): RunningFeeds {
  const abort = new AbortController();
  const replays = new Map<string, ReplayProgress>();
  const polls: PollTask[] = [];
  const running: Array<Promise<void>> = [];
  const year = new Date(deps.now()).getUTCFullYear();
  const failed = (feed: string) => (err: unknown) => {
    deps.logger.error({ err, feed }, "feed stopped on an error");
    deps.monitor.failed(feed, "STOPPED", (err as Error).message, deps.now());
  };
  for (const feed of feeds) {
    deps.monitor.add(feed);
    if (deps.monitor.calendarOf(feed.name)?.hasHolidayData(year) === false) {
      deps.logger.warn(
        { feed: feed.name, calendar: feed.calendar, year },
        "no holidays known for this year: only weekends close the market; add them to the feeds file",
      );
    }
    if (feed.type === "poll") {
      polls.push(startPollFeed(feed, deps));
    } else if (feed.type === "replay") {
      const progress: ReplayProgress = { lines: 0, published: 0, duplicates: 0, rejected: 0, done: false };
      replays.set(feed.name, progress);
      const opts = deps.bar === undefined ? {} : { bar: deps.bar };
      running.push(
        runReplay(feed, deps.gate, deps.logger, abort.signal, progress, opts).then(
          () => deps.monitor.finished(feed.name),
          failed(feed.name),
        ),
      );
    } else {
      running.push(
        runSimulation(feed, deps.gate, deps.logger, abort.signal, deps.now).then(
          () => deps.monitor.finished(feed.name),
          failed(feed.name),
        ),
      );
    }
  }
  return {
    replays,
    stop: async () => {
      abort.abort();
      await Promise.all(polls.map((p) => p.stop()));
      await Promise.all(running);
    },
  };
}
