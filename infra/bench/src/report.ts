/** The pipeline benchmark's figures: rates, latency summaries, the table for people and the JSON record. */

export interface Rate {
  messages: number;
  ms: number;
  perSecond: number;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface PhaseLatency {
  /** client send time → PRICES stream timestamp, ms (prices that fired an alert) */
  stored: LatencySummary;
  /** PRICES stream timestamp → ALERTS stream timestamp, ms */
  alertPublished: LatencySummary;
  /** PRICES stream timestamp → delivery record `at`, ms */
  delivered: LatencySummary;
}

export interface BenchResult {
  date: string;
  node: string;
  natsServer: string;
  cpu: string;
  cpuCount: number;
  options: {
    prices: number;
    rules: number;
    raw: number;
    users: number;
    window: number;
    pacedSeconds: number;
    seed: number;
  };
  raw: {
    payloadBytes: number;
    publishSequential: Rate;
    publishWindowed: Rate;
    /** durable pull consumer, max_ack_pending 1000, every message acked */
    consume: Rate;
    /** durable pull consumer, max_ack_pending 1 (the evaluator's setting) */
    consumeInOrder: Rate;
  };
  /** each stage with the machine to itself */
  alone: {
    /** burst 1: prices / (first publish → evaluator consumer drained), no notifier running */
    evaluator: Rate;
    alerts: number;
    /** the notifier draining the alerts of the warm-up and burst 1: alerts acked / time, from its first poll to drained */
    notifier: Rate;
  };
  /** burst 2: evaluator and notifier running at once */
  pipeline: {
    publish: Rate;
    /** prices / (first publish → evaluator consumer drained) */
    evaluator: Rate;
    /** alerts / (first publish → notifier consumer drained) */
    notifier: Rate;
    alerts: number;
    pricesFiring: number;
    deliveriesSent: number;
    /** alerts of the whole run without a `sent` delivery record */
    deliveriesMissing: number;
    /** messages in DEADLETTER at the end (a sanity check: 0 expected) */
    deadLetters: number;
  };
  latency: {
    /** burst 1 (no notifier running yet): PRICES stream timestamp → ALERTS stream timestamp, ms */
    alone: LatencySummary;
    burst: PhaseLatency;
    paced: PhaseLatency & { pricesPerSecond: number; prices: number; alerts: number };
  };
}

export function rate(messages: number, ms: number): Rate {
  return { messages, ms: Math.round(ms), perSecond: ms > 0 ? Math.round((messages * 1000) / ms) : 0 };
}

/** Nearest-rank percentiles of a list of values. */
export function summarise(values: number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number): number => {
    if (sorted.length === 0) return 0;
    const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
    return sorted[i] as number;
  };
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

const int = (v: number): string => Math.round(v).toLocaleString("en-US");

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
  return rows
    .map((r, i) => {
      const line = r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)));
      const text = `| ${line.join(" | ")} |`;
      if (i > 0) return text;
      const rule = widths.map((w, c) => (c === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`));
      return `${text}\n|${rule.join("|")}|`;
    })
    .join("\n");
}

const rateRow = (what: string, r: Rate, note = ""): string[] => [
  what,
  int(r.messages),
  int(r.ms),
  int(r.perSecond),
  note,
];
const latRow = (what: string, s: LatencySummary): string[] => [
  what,
  int(s.count),
  int(s.p50),
  int(s.p90),
  int(s.p99),
  int(s.max),
];

const pct = (a: Rate, b: Rate): string => `${((a.perSecond / Math.max(1, b.perSecond)) * 100).toFixed(1)}%`;

/** The readable report (markdown tables). */
export function renderReport(r: BenchResult): string {
  const p = r.pipeline;
  const paced = int(r.latency.paced.pricesPerSecond);
  const w = r.options.window;
  const throughput = table([
    ["throughput", "messages", "ms", "msgs/s", "note"],
    rateRow("raw publish, one ack at a time", r.raw.publishSequential, `${r.raw.payloadBytes} B average payload`),
    rateRow(`raw publish, ${w} in flight`, r.raw.publishWindowed),
    rateRow("raw consume, pull, max_ack_pending 1000", r.raw.consume, "ack each"),
    rateRow("raw consume, pull, max_ack_pending 1", r.raw.consumeInOrder, "the evaluator's setting"),
    rateRow("burst 1: prices through the evaluator alone", r.alone.evaluator, `${int(r.alone.alerts)} alerts`),
    rateRow("notifier alone: alerts delivered (email)", r.alone.notifier, "draining the waiting alerts"),
    rateRow(`burst 2: prices published, ${w} in flight`, p.publish, "while the pipeline runs"),
    rateRow("burst 2: prices through the evaluator", p.evaluator, `${int(p.alerts)} alerts; notifier running`),
    rateRow("burst 2: alerts delivered (email)", p.notifier, `${int(p.deliveriesSent)} sent`),
  ]);
  const latency = table([
    ["latency (ms)", "count", "p50", "p90", "p99", "max"],
    latRow("burst 1: price stored → alert published", r.latency.alone),
    latRow("burst 2: price sent → price stored", r.latency.burst.stored),
    latRow("burst 2: price stored → alert published", r.latency.burst.alertPublished),
    latRow("burst 2: price stored → delivery recorded", r.latency.burst.delivered),
    latRow(`paced ${paced}/s: price sent → price stored`, r.latency.paced.stored),
    latRow(`paced ${paced}/s: price stored → alert published`, r.latency.paced.alertPublished),
    latRow(`paced ${paced}/s: price stored → delivery recorded`, r.latency.paced.delivered),
  ]);
  return [
    `nats-server ${r.natsServer} · node ${r.node} · ${r.cpu} (${r.cpuCount} cpus) · ${r.date}`,
    `prices ${int(r.options.prices)} per burst · rules ${int(r.options.rules)} over ${int(r.options.users)} users · raw ${int(r.options.raw)}`,
    "",
    throughput,
    "",
    `evaluator alone vs raw consume: ${pct(r.alone.evaluator, r.raw.consume)} of max_ack_pending 1000, ` +
      `${pct(r.alone.evaluator, r.raw.consumeInOrder)} of max_ack_pending 1`,
    `evaluator with the notifier running vs raw consume: ${pct(p.evaluator, r.raw.consume)} of max_ack_pending 1000, ` +
      `${pct(p.evaluator, r.raw.consumeInOrder)} of max_ack_pending 1`,
    `burst 2 prices that fired at least one alert: ${int(p.pricesFiring)} of ${int(p.evaluator.messages)}; ` +
      `alerts without a sent delivery record: ${int(p.deliveriesMissing)}; dead letters: ${int(p.deadLetters)}`,
    "",
    latency,
    "",
    "Bursts: prices published as fast as the server acks, so their latency is mostly the queue behind the evaluator.",
    `Paced: ${int(r.latency.paced.prices)} more prices at half the measured capacity (${int(r.latency.paced.alerts)} alerts).`,
    "'price sent → stored' covers the prices that fired an alert: client send time → PRICES stream timestamp.",
    "All timestamps (client, stream timestamps, delivery records) come from one machine's clock, to the millisecond.",
  ].join("\n");
}
