/** The benchmark's figures, as a table for people and as JSON. */
import { formatNumber } from "../number-format.js";
import { CACHE_BYTES, MEMORY_BYTES } from "./machine-probe.js";

export interface LatencySummary {
  p50: number;
  p99: number;
  p999: number;
  max: number;
  count: number;
}

export interface BenchResult {
  seed: number;
  node: string;
  /** the Node.js flags of the run (the young generation's size moves the figures) */
  nodeFlags: string[];
  cpu: string;
  /** 1-minute load average of the machine around the engine run: other work competes for the cores */
  loadAverage: { before: number; after: number };
  /**
   * one dependent random read over 64 MB before and after the engine's ticks
   * (see machine-probe.ts): what most ticks wait for, and what moves most
   * between runs on a shared machine
   */
  memoryLatencyNs: { before: number; after: number };
  /**
   * the same read over 4 MB (see machine-probe.ts): tens of ns while the
   * processor's shared cache holds it, near the 64 MB figure while other
   * guests on the host fill that cache
   */
  cacheLatencyNs: { before: number; after: number };
  /** one step of a fixed chain of integer multiply-adds, before and after the ticks (see machine-probe.ts): the processor's own speed */
  computeNsPerStep: { before: number; after: number };
  instruments: number;
  rules: number;
  /** rules each evaluator still holds at the end (keeps both alive through the memory figures) */
  rulesHeld: { engine: number; reference: number };
  ticks: number;
  topInstrument: { id: string; rules: number; tickShare: number };
  ruleMix: Record<string, number>;
  windows: string[];
  build: { ms: number; rulesPerSecond: number; load: "batch" | "each" };
  engine: {
    ticksPerSecond: number;
    ticksPerSecondWithTimers: number;
    /**
     * the untimed batches' ticks over the process's CPU time (all its threads) during them: beside ticks/s,
     * it shows time the machine gave to other work (above ticks/s) or the process's helper threads took
     * (below it); null when no CPU time was measured
     */
    ticksPerCpuSecond: number | null;
    /** of the time in timed batches, the share spent on prices that decided something */
    timeShareOfTicksWithDecisions: number;
    /** time of prices that decided something, per decision */
    nsPerDecision: number;
    /** null without a reference sample (--reference-ticks 0) */
    sampleTicksPerSecond: number | null;
    nsPerTick: LatencySummary;
    /** share of the ticks that decided nothing which took longer than 10 µs */
    shareOver10us: number;
    nsPerTickAll: LatencySummary;
    /** main-thread collector pauses during the engine's ticks (PerformanceObserver "gc" entries) */
    gcPauseMs: number;
    gcPauses: number;
    /** the full (mark-compact) collections among them */
    gcFullMs: number;
    gcFull: number;
    /**
     * minor page faults of the process during the ticks: each is a wait for
     * the system to map a page first written (see block-pool.ts)
     */
    pageFaults: number;
    /** building alerts (explanation text) from decisions, done on first read of `alert` */
    alertRender: { alerts: number; nsPerAlert: number };
    alertsFired: number;
    ticksFiring: number;
    rulesFinished: number;
    clockSteps: number;
    clockMsTotal: number;
    clockAlerts: number;
  };
  memory: {
    heapUsedAfterRules: number;
    rssAfterRules: number;
    heapUsedAfterTicks: number;
    rssAfterTicks: number;
    maxRssBeforeReference: number;
  };
  reference: {
    sampled: true;
    ticks: number;
    /** null without a sample */
    ticksPerSecond: number | null;
    /** all sampled ticks, whether they fired or not */
    nsPerTick: LatencySummary;
    alertsFired: number;
    /** null without a sample */
    agreesWithEngine: boolean | null;
    buildMs: number;
    /** the process holds the engine and the reference at this point */
    heapUsedWithEngine: number;
    rssWithEngine: number;
  };
  /** null without a reference sample */
  ratio: number | null;
  ratioOnSample: number | null;
  /** ratio is null (not measured) without a reference sample */
  targets: { ticksPerSecond: boolean; p99NoFire: boolean; ratio: boolean | null; rss: boolean };
}

/** percentiles of a list of durations in ns */
export function summarise(ns: Float64Array): LatencySummary {
  const sorted = Float64Array.from(ns).sort();
  const at = (q: number): number =>
    sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))] as number);
  return { p50: at(0.5), p99: at(0.99), p999: at(0.999), max: at(1), count: sorted.length };
}

const n = (v: number | null): string => (v === null ? "-" : formatNumber(v, 0));
const mb = (bytes: number): string => `${formatNumber(bytes / 1048576, 0)} MB`;
const ok = (pass: boolean | null): string => (pass === null ? "not measured" : pass ? "met" : "MISSED");
const x = (ratio: number | null): string => (ratio === null ? "-" : `${formatNumber(ratio, 0)}x`);

export function renderTable(r: BenchResult): string {
  const e = r.engine;
  const ref = r.reference;
  const rows: Array<[string, string, string, string]> = [
    ["", "engine", "reference (sample)", "target"],
    ["ticks evaluated", n(r.ticks), n(ref.ticks), ""],
    ["ticks/s", n(e.ticksPerSecond), n(ref.ticksPerSecond), `>= 1,000,000 (${ok(r.targets.ticksPerSecond)})`],
    ["ticks per CPU second (all threads)", n(e.ticksPerCpuSecond), "", ""],
    ["ticks/s on the sample", n(e.sampleTicksPerSecond), n(ref.ticksPerSecond), ""],
    [
      "engine / reference",
      `${x(r.ratio)} (${x(r.ratioOnSample)} on the sample)`,
      "",
      `>= 100x (${ok(r.targets.ratio)})`,
    ],
    ["ns/tick p50, no decision", n(e.nsPerTick.p50), "", ""],
    ["ns/tick p99, no decision", n(e.nsPerTick.p99), "", `< 10,000 (${ok(r.targets.p99NoFire)})`],
    ["ns/tick p99.9, no decision", n(e.nsPerTick.p999), "", ""],
    ["ticks over 10 µs, no decision", `${formatNumber(100 * e.shareOver10us, 2)}%`, "", ""],
    [
      "ns/tick p50 / p99, all ticks",
      `${n(e.nsPerTickAll.p50)} / ${n(e.nsPerTickAll.p99)}`,
      ref.ticks === 0 ? "-" : `${n(ref.nsPerTick.p50)} / ${n(ref.nsPerTick.p99)}`,
      "",
    ],
    ["alerts fired on prices", n(e.alertsFired), ref.ticks === 0 ? "-" : n(ref.alertsFired), ""],
    ["ticks that fired alerts", `${n(e.ticksFiring)} (${formatNumber((100 * e.ticksFiring) / r.ticks, 1)}%)`, "", ""],
    [
      "time in ticks with decisions",
      `${formatNumber(100 * e.timeShareOfTicksWithDecisions, 1)}% (${n(e.nsPerDecision)} ns per decision)`,
      "",
      "",
    ],
    ["rules finished (once, expired)", n(e.rulesFinished), "", ""],
    [
      "alert text, built right after its price",
      `${n(e.alertRender.nsPerAlert)} ns per alert (${n(e.alertRender.alerts)} read)`,
      "",
      "",
    ],
    [
      "collector pauses during ticks",
      `${formatNumber(e.gcPauseMs, 0)} ms in ${n(e.gcPauses)} pauses (${n(e.gcFull)} full: ${formatNumber(e.gcFullMs, 0)} ms)`,
      "",
      "",
    ],
    ["page faults during ticks", n(e.pageFaults), "", ""],
    [
      "stale alerts (clock)",
      `${n(e.clockAlerts)} in ${n(e.clockSteps)} steps, ${formatNumber(e.clockMsTotal, 1)} ms`,
      "",
      "",
    ],
    [
      r.build.load === "batch" ? "rules built (one batch)" : "rules built (one by one)",
      `${n(r.rules)} in ${formatNumber(r.build.ms / 1000, 1)} s`,
      `${formatNumber(ref.buildMs / 1000, 1)} s`,
      "",
    ],
    ["heap after rules / ticks", `${mb(r.memory.heapUsedAfterRules)} / ${mb(r.memory.heapUsedAfterTicks)}`, "", ""],
    [
      "RSS after rules / ticks",
      `${mb(r.memory.rssAfterRules)} / ${mb(r.memory.rssAfterTicks)}`,
      "",
      `< 1,536 MB (${ok(r.targets.rss)})`,
    ],
    ["peak RSS, engine only", mb(r.memory.maxRssBeforeReference), "", ""],
    ["heap / RSS with both loaded", "", `${mb(ref.heapUsedWithEngine)} / ${mb(ref.rssWithEngine)}`, ""],
  ];
  const w = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  const line = (row: string[]): string =>
    row
      .map((cell, c) => cell.padEnd(w[c] as number))
      .join("  ")
      .trimEnd();
  const mix = Object.entries(r.ruleMix)
    .map(([k, v]) => `${k} ${formatNumber((100 * v) / r.rules, 1)}%`)
    .join(", ");
  return [
    `Rule engine benchmark (seed ${r.seed}, ${[r.node, ...r.nodeFlags].join(" ")}, ${r.cpu}, load average ${formatNumber(r.loadAverage.before, 2)} -> ${formatNumber(r.loadAverage.after, 2)})`,
    `workload: ${n(r.instruments)} instruments, ${n(r.rules)} rules (top: ${r.topInstrument.id} with ${n(r.topInstrument.rules)} rules and ${formatNumber(100 * r.topInstrument.tickShare, 1)}% of ticks), ${n(r.ticks)} ticks`,
    `memory: a random read over ${mb(MEMORY_BYTES)} takes ${n(r.memoryLatencyNs.before)} ns before the ticks, ${n(r.memoryLatencyNs.after)} ns after`,
    `cache: a random read over ${mb(CACHE_BYTES)} takes ${n(r.cacheLatencyNs.before)} ns before the ticks, ${n(r.cacheLatencyNs.after)} ns after`,
    `processor: a step of a fixed integer chain takes ${formatNumber(r.computeNsPerStep.before, 2)} ns before the ticks, ${formatNumber(r.computeNsPerStep.after, 2)} ns after`,
    `rules: ${mix}; change windows ${r.windows.join(" ")}`,
    r.reference.ticks === 0
      ? "the reference evaluator was not measured (--reference-ticks 0): no ratio"
      : `the reference evaluator was measured on a sample: the first ${n(r.reference.ticks)} ticks over the same rules (alerts ${r.reference.agreesWithEngine ? "identical to" : "DIFFERENT from"} the engine's)`,
    "",
    ...rows.map(line),
  ].join("\n");
}
