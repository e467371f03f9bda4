/**
 * The simulate feed: a seeded random walk for demos and load. Without `from`,
 * each tick is stamped with the wall clock; with it, ticks are `step` apart in
 * observation time starting there (history for load tests, `count` ticks).
 */
import { durationMs } from "@rea/contracts";
import type { Logger } from "pino";
import type { SimulateFeed } from "../feeds-config.js";
import type { GateOutcome, PriceGate } from "../price-gate.js";
import { randomWalk } from "./random-walk.js";
import { sleep } from "./sleep.js";
import { isoSeconds } from "./zoned-time.js";

export interface SimulateProgress {
  ticks: number;
  outcomes: Record<GateOutcome, number>;
  done: boolean;
}

export async function runSimulation(
  feed: SimulateFeed,
  gate: PriceGate,
  logger: Logger,
  signal: AbortSignal,
  now: () => number = Date.now,
): Promise<SimulateProgress> {
  const log = logger.child({ feed: feed.name });
  const progress: SimulateProgress = {
    ticks: 0,
    outcomes: { published: 0, duplicate: 0, rejected: 0, suspect: 0 },
    done: false,
  };
  const fromMs = feed.from === undefined ? undefined : Date.parse(feed.from);
  const stepMs = durationMs(feed.step);
  log.info({ seed: feed.seed, instruments: feed.instruments.length, count: feed.count }, "simulation started");
  for (const tick of randomWalk(feed.seed, feed.instruments)) {
    if (signal.aborted || (feed.count !== undefined && progress.ticks >= feed.count)) break;
    const ts = isoSeconds(fromMs === undefined ? now() : fromMs + progress.ticks * stepMs);
    for (const [instrument, price] of tick) {
      const outcome = await gate.offerObservation(
        feed.name,
        { instrument, price, ts, source: feed.source },
        feed.horizonDays,
        feed.maxMovePct,
      );
      progress.outcomes[outcome]++;
    }
    progress.ticks++;
    if (progress.ticks % 1000 === 0) log.info({ ...progress }, "simulation progress");
    if (feed.intervalMs > 0) await sleep(feed.intervalMs, signal);
  }
  progress.done = true;
  log.info({ ...progress }, "simulation finished");
  return progress;
}
