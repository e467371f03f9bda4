/**
 * `pnpm bench:engine`: builds the Zipf-skewed workload, runs the engine over
 * every tick and the reference evaluator over a sample, prints a table and,
 * with `--json <file>`, writes the figures.
 * Options: --instruments N (1000) --rules N (1000000) --ticks N (2000000)
 * --reference-ticks N (20000; 0 measures the engine alone, with no ratio) --seed N (1) --json FILE
 * --load batch|each (batch): the rules go into the engine in one upsertRules
 * call, as an evaluator loads its rule set and as a snapshot restores, or
 * one upsertRule each (as rules added one at a time are laid out)
 */
import { cpus, loadavg } from "node:os";
import { PerformanceObserver, constants, performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Rule } from "@rea/contracts";
import { ReferenceEvaluator } from "../reference-evaluator.js";
import { RuleEngine } from "../rule-engine.js";
import type { Decision, EngineOptions, PriceTick } from "../types.js";
import { CACHE_BYTES, computeNsPerStep, memoryLatencyNs } from "./machine-probe.js";
import { UsageError, reportFailure, writeJson } from "./options.js";
import { Prng } from "./prng.js";
import { Progress } from "./progress.js";
import { renderTable, summarise } from "./report.js";
import type { BenchResult } from "./report.js";
import { RuleFactory, START_MS, STEP_MS, WINDOWS, benchInstruments, generateTicks, priceTicks } from "./workload.js";
import type { BenchInstrument } from "./workload.js";

/**
 * Ticks are turned into PriceTick objects a batch at a time, outside the timed
 * part; a batch small enough to die in the young generation, as prices that
 * arrive one by one do (a larger one would be promoted and collected by full
 * collections, which a live feed does not cause).
 */
const BATCH = 2_000;
const CLOCK_EVERY = 10_000;
/**
 * Prices after the measured ones whose alerts get their text built (and
 * timed) right after each price: what a caller that publishes every alert
 * pays on top. Run after the measurement, so the garbage the text leaves is
 * not collected inside the measured ticks.
 */
const RENDER_TICKS = 100_000;

function args(): {
  instruments: number;
  rules: number;
  ticks: number;
  referenceTicks: number;
  seed: number;
  json: string | undefined;
  load: "batch" | "each";
} {
  const a = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const num = (name: string, dflt: number): number => {
    const v = get(name);
    if (v === undefined) return dflt;
    const parsed = Number(v.replace(/_/g, ""));
    if (!Number.isFinite(parsed) || parsed < 0) throw new UsageError(`--${name} needs a number, got ${v}`);
    return Math.floor(parsed);
  };
  return {
    instruments: num("instruments", 1000),
    rules: num("rules", 1_000_000),
    ticks: num("ticks", 2_000_000),
    referenceTicks: num("reference-ticks", 20_000),
    seed: num("seed", 1),
    json: get("json"),
    load: loadOption(get("load")),
  };
}

function loadOption(v: string | undefined): "batch" | "each" {
  if (v === undefined || v === "batch" || v === "each") return v ?? "batch";
  throw new UsageError(`--load is batch or each, got ${v}`);
}

function gcNow(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // without a collector call the memory figures include garbage: still an upper bound
  }
}

const progress = new Progress();

function countAlerts(ds: Decision[]): number {
  let c = 0;
  for (const d of ds) if (d.kind === "alert") c++;
  return c;
}

type Tally = (ds: Decision[], k: number) => void;

/** Per-tick times of the timed batches. */
class TickTimes {
  readonly all: Float64Array;
  readonly quiet: Float64Array;
  count = 0;
  quietCount = 0;
  quietNs = 0;
  busyNs = 0;
  busyDecisions = 0;
  constructor(ticks: number) {
    this.all = new Float64Array(ticks);
    this.quiet = new Float64Array(ticks);
  }
}

/**
 * The two ways a batch runs, each in a function of its own so that both are
 * compiled alike (not as parts of one long-running loop): without timers
 * (what ticks per second is taken from) and with a timer around each price.
 */
function runBatch(engine: RuleEngine, batch: PriceTick[], from: number, tally: Tally): void {
  for (let j = 0; j < batch.length; j++) {
    const ds = engine.onPrice(batch[j] as PriceTick);
    if (ds.length > 0) tally(ds, from + j);
  }
}

function runBatchTimed(engine: RuleEngine, batch: PriceTick[], from: number, tally: Tally, times: TickTimes): void {
  for (let j = 0; j < batch.length; j++) {
    const a = performance.now();
    const ds = engine.onPrice(batch[j] as PriceTick);
    const ns = (performance.now() - a) * 1e6;
    times.all[times.count++] = ns;
    if (ds.length === 0) {
      times.quiet[times.quietCount++] = ns;
      times.quietNs += ns;
    } else {
      times.busyNs += ns;
      times.busyDecisions += ds.length;
      tally(ds, from + j);
    }
  }
}

interface Pauses {
  ms: number;
  count: number;
  /** full (mark-compact) collections among them */
  fullMs: number;
  full: number;
}

/** main-thread collector pauses that start inside [from, to] (ms, performance clock) */
function watchCollector(): { pauses: (from: number, to: number) => Pauses; stop: () => void } {
  const seen: Array<{ at: number; ms: number; full: boolean }> = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as { detail?: { kind?: number } }).detail?.kind;
      seen.push({ at: e.startTime, ms: e.duration, full: kind === constants.NODE_PERFORMANCE_GC_MAJOR });
    }
  });
  obs.observe({ entryTypes: ["gc"] });
  return {
    pauses: (from, to) => {
      const sum: Pauses = { ms: 0, count: 0, fullMs: 0, full: 0 };
      for (const p of seen) {
        if (p.at < from || p.at > to) continue;
        sum.ms += p.ms;
        sum.count++;
        if (!p.full) continue;
        sum.fullMs += p.ms;
        sum.full++;
      }
      return sum;
    },
    stop: () => obs.disconnect(),
  };
}

async function main(): Promise<void> {
  const collector = watchCollector();
  const opt = args();
  progress.update("measuring the memory's and the processor's speed");
  const latencyBefore = memoryLatencyNs();
  const cacheBefore = memoryLatencyNs(CACHE_BYTES);
  const computeBefore = computeNsPerStep();
  gcNow();
  const rng = new Prng(opt.seed);
  const instruments = benchInstruments(opt.instruments, rng);
  const units = new Map(instruments.map((i) => [i.id, i.unit]));
  const engineOpts: EngineOptions = { unitOf: (id) => units.get(id) };
  const spanMs = opt.ticks * STEP_MS;

  const factory = new RuleFactory(instruments, opt.rules, new Prng(opt.seed + 1), spanMs);
  const rules: Rule[] = new Array<Rule>(opt.rules);
  const engine = new RuleEngine(engineOpts);
  let k = 0;
  for (let i = 0; i < instruments.length; i++) {
    for (let c = 0; c < (factory.counts[i] as number); c++, k++) {
      rules[k] = factory.make(k, i);
      if (k % 50_000 === 0)
        progress.update(`generating rules: ${k.toLocaleString("en-US")} / ${opt.rules.toLocaleString("en-US")}`);
    }
  }
  progress.update(`loading ${opt.rules.toLocaleString("en-US")} rules into the engine`);
  const t0 = performance.now();
  if (opt.load === "batch") {
    // as an evaluator loads its rule set (and as a snapshot restores it)
    const refused = engine.upsertRules(rules);
    if (refused.length > 0) throw new Error(`the engine refused ${refused.length} rules: ${refused[0]?.error.message}`);
  } else {
    for (const r of rules) engine.upsertRule(r);
  }
  const buildMs = performance.now() - t0;
  progress.done(`built ${opt.rules.toLocaleString("en-US")} rules in ${(buildMs / 1000).toFixed(1)} s`);
  gcNow();
  const afterRules = process.memoryUsage();

  progress.update("generating ticks");
  const stream = generateTicks(instruments, opt.ticks + RENDER_TICKS, new Prng(opt.seed + 2));
  const sampleTicks = Math.min(opt.referenceTicks, opt.ticks);
  const times = new TickTimes(opt.ticks);
  // the ticks and their timers are ~75 MB of typed arrays: collected for now, so that the collection their
  // allocation starts (V8 counts them as external memory) does not fall into the engine's measured ticks
  gcNow();
  let untimedMs = 0;
  let untimedTicks = 0;
  /** the process's CPU time (all threads) during the untimed batches, in µs */
  let untimedCpuUs = 0;
  let totalMs = 0;
  let sampleMs = 0;
  let alerts = 0;
  let firing = 0;
  let finished = 0;
  let clockSteps = 0;
  let clockMs = 0;
  let clockAlerts = 0;
  const sampleIds: string[] = [];
  let rendered = 0;
  let renderedChars = 0;
  let renderMs = 0;
  const loadBefore = loadavg()[0] ?? 0;
  const ticksFrom = performance.now();
  const faults0 = process.resourceUsage().minorPageFault;
  const tally = (ds: Decision[], k: number): void => {
    const c = countAlerts(ds);
    alerts += c;
    finished += ds.length - c;
    if (c > 0) firing++;
    if (k < sampleTicks) for (const d of ds) if (d.kind === "alert") sampleIds.push(d.alert.id);
  };
  for (let from = 0, b = 0; from < opt.ticks; from += BATCH, b++) {
    const to = Math.min(opt.ticks, from + BATCH);
    const batch = priceTicks(stream, instruments, from, to);
    const perTick = b % 2 === 1;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    if (perTick) runBatchTimed(engine, batch, from, tally, times);
    else runBatch(engine, batch, from, tally);
    const ms = performance.now() - start;
    totalMs += ms;
    if (!perTick) {
      const cpu = process.cpuUsage(cpuStart);
      untimedCpuUs += cpu.user + cpu.system;
      untimedMs += ms;
      untimedTicks += batch.length;
    }
    if (from < sampleTicks) sampleMs += (ms * (Math.min(to, sampleTicks) - from)) / batch.length;
    for (let t = Math.ceil((from + 1) / CLOCK_EVERY) * CLOCK_EVERY; t <= to; t += CLOCK_EVERY) {
      if (t <= sampleTicks) continue;
      const c0 = performance.now();
      const ds = engine.onClock(START_MS + t * STEP_MS);
      clockMs += performance.now() - c0;
      clockSteps++;
      clockAlerts += countAlerts(ds);
      finished += ds.length - countAlerts(ds);
    }
    progress.update(`engine: ${to.toLocaleString("en-US")} / ${opt.ticks.toLocaleString("en-US")} ticks`);
  }
  const ticksTo = performance.now();
  const pageFaults = process.resourceUsage().minorPageFault - faults0;
  const loadAfter = loadavg()[0] ?? 0;
  progress.done("engine done");
  const latencyAfter = memoryLatencyNs();
  const cacheAfter = memoryLatencyNs(CACHE_BYTES);
  const computeAfter = computeNsPerStep();
  for (let from = opt.ticks; from < opt.ticks + RENDER_TICKS; from += BATCH) {
    const batch = priceTicks(stream, instruments, from, Math.min(opt.ticks + RENDER_TICKS, from + BATCH));
    for (const tick of batch) {
      const ds = engine.onPrice(tick);
      if (ds.length === 0) continue;
      const r0 = performance.now();
      for (const d of ds) {
        if (d.kind !== "alert") continue;
        renderedChars += d.alert.text.length;
        rendered++;
      }
      renderMs += performance.now() - r0;
    }
    progress.update(`alert text: ${rendered.toLocaleString("en-US")} alerts`);
  }
  if (renderedChars === 0 && rendered > 0) throw new Error("alerts without text");
  gcNow();
  const afterTicks = process.memoryUsage();
  const maxRss = process.resourceUsage().maxRSS * 1024;

  progress.update("reference: building rules");
  const reference = new ReferenceEvaluator(engineOpts);
  const r0 = performance.now();
  for (const r of rules) reference.upsertRule(r);
  const refBuildMs = performance.now() - r0;
  const sample = priceTicks(stream, instruments, 0, sampleTicks);
  const refIds: string[] = [];
  const refNs = new Float64Array(sample.length);
  const s0 = performance.now();
  for (let j = 0; j < sample.length; j++) {
    const a = performance.now();
    const ds = reference.onPrice(sample[j] as PriceTick);
    refNs[j] = (performance.now() - a) * 1e6;
    for (const d of ds) if (d.kind === "alert") refIds.push(d.alert.id);
    if (j % 1000 === 0)
      progress.update(`reference: ${j.toLocaleString("en-US")} / ${sampleTicks.toLocaleString("en-US")} ticks`);
  }
  const refMs = performance.now() - s0;
  gcNow();
  const withReference = process.memoryUsage();
  // both are used after the measurements, so the collector cannot free them before
  const held = { engine: engine.ruleCount(), reference: reference.ruleCount() };
  progress.done("reference done");

  let top = 0;
  for (let i = 1; i < instruments.length; i++)
    if ((factory.counts[i] as number) > (factory.counts[top] as number)) top = i;
  let topTicks = 0;
  for (let j = 0; j < opt.ticks; j++) if (stream.inst[j] === top) topTicks++;
  const ticksPerSecond = untimedTicks > 0 ? (untimedTicks / untimedMs) * 1000 : (opt.ticks / totalMs) * 1000;
  // --reference-ticks 0 measures the engine alone: no sample, no ratio
  const sampleTicksPerSecond = sampleTicks > 0 ? (sampleTicks / sampleMs) * 1000 : null;
  const refTicksPerSecond = sampleTicks > 0 ? (sampleTicks / refMs) * 1000 : null;
  const ratio = refTicksPerSecond === null ? null : ticksPerSecond / refTicksPerSecond;
  const nsNoFire = summarise(times.quiet.subarray(0, times.quietCount));
  let over10us = 0;
  for (let j = 0; j < times.quietCount; j++) if ((times.quiet[j] as number) > 10_000) over10us++;
  await new Promise((resolve) => setTimeout(resolve, 50));
  const gc = collector.pauses(ticksFrom, ticksTo);
  collector.stop();
  const mix = factory.mix;
  const result: BenchResult = {
    seed: opt.seed,
    node: process.version,
    nodeFlags: process.execArgv,
    cpu: `${cpus()[0]?.model ?? "unknown"} x${cpus().length}`,
    loadAverage: { before: loadBefore, after: loadAfter },
    memoryLatencyNs: { before: latencyBefore, after: latencyAfter },
    cacheLatencyNs: { before: cacheBefore, after: cacheAfter },
    computeNsPerStep: { before: computeBefore, after: computeAfter },
    instruments: instruments.length,
    rules: opt.rules,
    rulesHeld: held,
    ticks: opt.ticks,
    topInstrument: {
      id: (instruments[top] as BenchInstrument).id,
      rules: factory.counts[top] as number,
      tickShare: topTicks / opt.ticks,
    },
    ruleMix: {
      "above/below": mix.level,
      cross: mix.cross,
      change: mix.change,
      stale: mix.stale,
      "other mass unit": mix.otherUnit,
      "other currency (FX)": mix.otherCurrency,
    },
    windows: WINDOWS.map((w) => (typeof w === "string" ? w : `obs:${w.obs}`)),
    build: { ms: buildMs, rulesPerSecond: (opt.rules / buildMs) * 1000, load: opt.load },
    engine: {
      ticksPerSecond,
      ticksPerSecondWithTimers: (opt.ticks / totalMs) * 1000,
      ticksPerCpuSecond: untimedCpuUs > 0 ? untimedTicks / (untimedCpuUs / 1e6) : null,
      timeShareOfTicksWithDecisions: times.busyNs / (times.busyNs + times.quietNs),
      nsPerDecision: times.busyDecisions > 0 ? times.busyNs / times.busyDecisions : 0,
      sampleTicksPerSecond,
      nsPerTick: nsNoFire,
      shareOver10us: times.quietCount > 0 ? over10us / times.quietCount : 0,
      gcPauseMs: gc.ms,
      gcPauses: gc.count,
      gcFullMs: gc.fullMs,
      gcFull: gc.full,
      pageFaults,
      alertRender: { alerts: rendered, nsPerAlert: rendered > 0 ? (renderMs * 1e6) / rendered : 0 },
      nsPerTickAll: summarise(times.all.subarray(0, times.count)),
      alertsFired: alerts,
      ticksFiring: firing,
      rulesFinished: finished,
      clockSteps,
      clockMsTotal: clockMs,
      clockAlerts,
    },
    memory: {
      heapUsedAfterRules: afterRules.heapUsed,
      rssAfterRules: afterRules.rss,
      heapUsedAfterTicks: afterTicks.heapUsed,
      rssAfterTicks: afterTicks.rss,
      maxRssBeforeReference: maxRss,
    },
    reference: {
      sampled: true,
      ticks: sampleTicks,
      ticksPerSecond: refTicksPerSecond,
      nsPerTick: summarise(refNs),
      alertsFired: refIds.length,
      agreesWithEngine: sampleTicks > 0 ? refIds.join() === sampleIds.join() : null,
      buildMs: refBuildMs,
      heapUsedWithEngine: withReference.heapUsed,
      rssWithEngine: withReference.rss,
    },
    ratio,
    ratioOnSample:
      sampleTicksPerSecond === null || refTicksPerSecond === null ? null : sampleTicksPerSecond / refTicksPerSecond,
    targets: {
      ticksPerSecond: ticksPerSecond >= 1_000_000,
      p99NoFire: nsNoFire.p99 < 10_000,
      ratio: ratio === null ? null : ratio >= 100,
      rss: Math.max(afterRules.rss, afterTicks.rss) < 1.5 * 1024 * 1024 * 1024,
    },
  };
  process.stdout.write(`${renderTable(result)}\n`);
  if (opt.json !== undefined) writeJson(opt.json, result);
}

main().catch(reportFailure);
