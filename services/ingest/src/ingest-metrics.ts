/**
 * The ingest service's Prometheus metrics, read from the gate and the feed
 * monitor at scrape time:
 *
 * - `ingest_prices_published_total{feed}` (counter)
 * - `ingest_prices_rejected_total{feed,reason}` (counter; held suspects have reason SUSPECT_MOVE)
 * - `ingest_poll_failures_total{feed,reason}` (counter)
 * - `ingest_feed_last_observation_seconds{feed}` (gauge: observation time of the newest price, Unix seconds)
 * - `ingest_feed_late{feed}` and `ingest_feed_failing{feed}` (gauges, 0 or 1)
 */
import type { Registry } from "@rea/runtime";
import { Counter, Gauge } from "prom-client";
import type { FeedMonitor } from "./feed-monitor.js";
import type { PriceGate } from "./price-gate.js";

type Labels = Record<string, string>;
interface Sample {
  labels: Labels;
  value: number;
}

/** A metric whose samples are read from the gate and the monitor when Prometheus scrapes. */
function collected(registry: Registry, name: string, help: string, type: "counter" | "gauge", samples: () => Sample[]) {
  const labelNames = ["feed", "reason"];
  if (type === "counter") {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of samples()) this.inc(s.labels, s.value);
      },
    });
  } else {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const s of samples()) this.set(s.labels, s.value);
      },
    });
  }
}

export function registerIngestMetrics(registry: Registry, gate: PriceGate, monitor: FeedMonitor, now: () => number) {
  const feeds = () => [...gate.allCounts()];
  collected(registry, "ingest_prices_published_total", "Prices published by feed", "counter", () =>
    feeds().map(([feed, c]) => ({ labels: { feed }, value: c.published })),
  );
  collected(
    registry,
    "ingest_prices_rejected_total",
    "Prices rejected or held as suspect, by feed and reason",
    "counter",
    () =>
      feeds().flatMap(([feed, c]) => [...c.rejected].map(([reason, value]) => ({ labels: { feed, reason }, value }))),
  );
  collected(registry, "ingest_poll_failures_total", "Failed polls by feed and reason", "counter", () =>
    monitor.failureCounts().map(({ feed, code, count }) => ({ labels: { feed, reason: code }, value: count })),
  );
  collected(registry, "ingest_feed_last_observation_seconds", "Observation time of the newest price", "gauge", () =>
    feeds().flatMap(([feed, c]) =>
      c.lastObservationMs === undefined ? [] : [{ labels: { feed }, value: c.lastObservationMs / 1000 }],
    ),
  );
  const states = () => Object.entries(monitor.status(now()));
  collected(registry, "ingest_feed_late", "1 while a feed is late during open market hours", "gauge", () =>
    states().map(([feed, s]) => ({ labels: { feed }, value: s.late ? 1 : 0 })),
  );
  collected(registry, "ingest_feed_failing", "1 while a feed's last attempt failed", "gauge", () =>
    states().map(([feed, s]) => ({ labels: { feed }, value: s.failure ? 1 : 0 })),
  );
}
