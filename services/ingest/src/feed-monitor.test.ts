import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { FeedMonitor } from "./feed-monitor.js";
import type { MonitoredFeed } from "./feed-monitor.js";
import type { FeedCounts } from "./price-gate.js";

/** An instant given as Shanghai wall time. */
const cst = (local: string) => Date.parse(`${local}+08:00`);

function setup(feed: MonitoredFeed, startedAt: string) {
  const logs: Array<{ msg: string; feed?: string }> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line) as { msg: string }) });
  const counts: FeedCounts = {
    published: 0,
    duplicates: 0,
    rejected: new Map(),
    lastNewAtMs: undefined,
    lastObservationMs: undefined,
  };
  const monitor = new FeedMonitor({ gate: { counts: () => counts }, logger, startedAtMs: cst(startedAt) });
  monitor.add(feed);
  const arrived = (local: string) => {
    counts.published++;
    counts.lastNewAtMs = cst(local);
  };
  const at = (local: string) => {
    monitor.check(cst(local));
    return monitor.status(cst(local))[feed.name];
  };
  return { monitor, logs, arrived, at };
}

const aShares: MonitoredFeed = { name: "sina-a", type: "poll", cadence: "1m", calendar: "cn" };

describe("feed freshness", () => {
  it("reports an A-share feed late after cadence plus half of it without a price, logging once per episode", () => {
    const { logs, arrived, at } = setup(aShares, "2026-11-18T09:00:00");
    arrived("2026-11-18T10:00:00");
    expect(at("2026-11-18T10:01:30")).toMatchObject({ state: "ok", late: null, marketOpen: true });
    expect(at("2026-11-18T10:01:31")).toMatchObject({
      state: "late",
      late: { since: "2026-11-18T02:01:31Z", openSeconds: 91 },
    });
    expect(at("2026-11-18T10:05:00")?.state).toBe("late");
    expect(logs.filter((l) => l.msg === "feed late")).toHaveLength(1);
    arrived("2026-11-18T10:05:10");
    expect(at("2026-11-18T10:05:20")).toMatchObject({ state: "ok", lastNewAt: "2026-11-18T02:05:10Z" });
    expect(logs.filter((l) => l.msg === "feed no longer late")).toHaveLength(1);
  });

  it("is never late while the market is closed: lunch break, weekend, holiday", () => {
    const { arrived, at } = setup(aShares, "2026-11-18T09:00:00");
    arrived("2026-11-18T11:29:50");
    expect(at("2026-11-18T12:30:00")).toMatchObject({ state: "closed", late: null, marketOpen: false });
    expect(at("2026-11-18T13:00:30")?.state).toBe("ok"); // 10 s before the break + 30 s after it
    arrived("2026-11-20T14:59:30"); // Friday
    expect(at("2026-11-21T10:00:00")?.state).toBe("closed"); // Saturday
    expect(at("2026-11-23T09:30:30")?.state).toBe("ok"); // Monday: one open minute since Friday's price
    arrived("2026-09-30T15:00:00");
    expect(at("2026-10-05T10:00:00")?.state).toBe("closed"); // National Day, a Monday
  });

  it("measures a daily agency feed in business days", () => {
    const daily: MonitoredFeed = { name: "smm", type: "poll", cadence: "1d", calendar: "daily" };
    const { arrived, at } = setup(daily, "2026-11-18T09:00:00");
    arrived("2026-11-20T18:00:00"); // Friday evening
    expect(at("2026-11-22T12:00:00")?.state).toBe("closed");
    expect(at("2026-11-23T20:00:00")?.state).toBe("ok"); // 6 h Friday + 20 h Monday
    expect(at("2026-11-24T12:00:00")).toMatchObject({ state: "late", late: { openSeconds: 42 * 3600 } });
  });

  it("counts from the start when a feed never brought a price, and honours an explicit grace", () => {
    const feed: MonitoredFeed = { name: "fx", type: "poll", cadence: "1h", grace: "10m", calendar: "always" };
    const { at } = setup(feed, "2026-11-21T00:00:00");
    expect(at("2026-11-21T01:10:00")?.state).toBe("ok");
    expect(at("2026-11-21T01:10:01")?.state).toBe("late");
  });

  it("never reports a finished replay or a feed without a cadence as late", () => {
    const replay = setup({ name: "demo", type: "replay", cadence: "1m", calendar: "always" }, "2026-11-21T00:00:00");
    replay.monitor.finished("demo");
    expect(replay.at("2026-11-22T00:00:00")?.state).toBe("done");
    const noCadence = setup({ name: "sim", type: "simulate", calendar: "always" }, "2026-11-21T00:00:00");
    expect(noCadence.at("2026-12-21T00:00:00")?.state).toBe("ok");
  });

  it("reports a failing feed with its reason until an attempt succeeds", () => {
    const { monitor, logs, at } = setup(aShares, "2026-11-18T10:00:00");
    expect(monitor.failed("sina-a", "TIMEOUT", "no complete answer within 300 ms", cst("2026-11-18T10:00:10"))).toBe(
      true,
    );
    expect(monitor.failed("sina-a", "TIMEOUT", "no complete answer within 300 ms", cst("2026-11-18T10:00:20"))).toBe(
      false,
    );
    expect(at("2026-11-18T10:00:30")).toMatchObject({
      state: "failing",
      failure: { code: "TIMEOUT", since: "2026-11-18T02:00:10Z", attempts: 2 },
    });
    monitor.succeeded("sina-a", cst("2026-11-18T10:00:40"));
    expect(at("2026-11-18T10:00:50")).toMatchObject({ state: "ok", failure: null });
    expect(logs.map((l) => l.msg)).toEqual(["feed failing", "feed recovered"]);
    expect(monitor.failureCounts()).toEqual([{ feed: "sina-a", code: "TIMEOUT", count: 2 }]);
  });
});
