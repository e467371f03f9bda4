/**
 * `npm run bench:pipeline`: the end-to-end benchmark over a real nats-server.
 * It starts its own nats-server and measures, in one run:
 * 1. raw JetStream: publish (one ack at a time, then windowed) and pull consume;
 * 2. burst 1: prices through the built evaluator alone (warmed up; the notifier not yet started);
 * 3. the notifier alone, draining the alerts waiting for it;
 * 4. burst 2: prices through the whole pipeline, evaluator and notifier at once;
 * 5. a paced stream at half the measured capacity;
 * then latency price stored → alert published → delivery recorded, from the stored records.
 *
 * Options: --prices N (20000, per burst) --rules N (10000) --raw N (20000) --paced-seconds N (5)
 * --window N (256) --seed N (1) --json FILE. The table goes to stdout, progress to stderr.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connectBus, provision, silentLogger } from "@rea/bus";
import { CONSUMERS, STREAMS } from "@rea/contracts";
import type { ConsumerInfo } from "@nats-io/jetstream";
import { Cleanup } from "./cleanup.js";
import { collect, phaseLatency } from "./latency.js";
import { lastSeqOf, publishPrices, seedAccounts, waitDrained } from "./pipeline.js";
import { startNats, startService } from "./processes.js";
import type { ServiceProc } from "./processes.js";
import { rawBaseline } from "./raw-baseline.js";
import { rate, renderReport } from "./report.js";
import type { BenchResult } from "./report.js";
import { PriceWalk, STEP_MS, channelIdOf, makeRules, userIdOf } from "./workload.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

function options() {
  const a = process.argv.slice(2);
  const get = (name: string): string | undefined => {
    const i = a.indexOf(`--${name}`);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const num = (name: string, dflt: number, min = 1): number => {
    const v = get(name);
    if (v === undefined) return dflt;
    const n = Number(v.replace(/_/g, ""));
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} needs a whole number of at least ${min}, got ${v}`);
    return n;
  };
  return {
    prices: num("prices", 20_000),
    rules: num("rules", 10_000),
    raw: num("raw", 20_000),
    pacedSeconds: num("paced-seconds", 5, 0),
    window: num("window", 256),
    seed: num("seed", 1),
    json: get("json"),
  };
}

const progress = (line: string): void => {
  process.stderr.write(`[bench] ${line}\n`);
};
let interrupted = false;

async function run(cleanup: Cleanup): Promise<BenchResult> {
  const opt = options();
  const users = Math.max(1, Math.ceil(opt.rules / 20));
  const dir = mkdtempSync(join(tmpdir(), "rea-pipeline-bench-"));
  cleanup.add("remove the temp dir", () => Promise.resolve(rmSync(dir, { recursive: true, force: true })));

  const nats = await startNats(dir);
  cleanup.add("stop nats-server", () => nats.stop());
  progress(`nats-server at ${nats.url}, store ${dir}`);
  const nc = await connectBus({ servers: nats.url, name: "pipeline-bench", logger: silentLogger });
  cleanup.add("close the connection", () => nc.close());
  await provision(nc, { logger: silentLogger });

  const now = Date.now();
  const rawWalk = new PriceWalk(opt.seed + 1, now - 2 * opt.raw * STEP_MS);
  const raw = await rawBaseline(nc, rawWalk.take(2 * opt.raw), opt.window, progress);

  const nowIso = new Date(now).toISOString();
  progress(`seeding ${users} users with an email channel and ${opt.rules} rules`);
  await seedAccounts(nc, users, makeRules(opt.rules, users, opt.seed, nowIso), nowIso);

  const env = { NATS_URL: nats.url, DATA_DIR: join(dir, "data"), LOG_LEVEL: "warn" };
  progress("starting the evaluator");
  const evaluator = await startService(ROOT, "evaluator", env);
  cleanup.add("stop the evaluator", () => evaluator.stop());
  const services: ServiceProc[] = [evaluator];
  const watch = (what: string) => ({
    onPoll: (info: ConsumerInfo) =>
      progress(`${what}: acked up to ${info.ack_floor.stream_seq}, ${info.num_pending} pending`),
    check: () => {
      for (const p of services) {
        if (p.proc.exitCode !== null || p.proc.signalCode !== null) throw new Error(`${p.name} died:\n${p.tail()}`);
      }
    },
  });
  const drainPrices = (lastSeq: number) =>
    waitDrained(nc, STREAMS.PRICES.name, CONSUMERS.EVALUATOR, lastSeq, watch("evaluator"));
  const drainAlerts = async () =>
    waitDrained(
      nc,
      STREAMS.ALERTS.name,
      CONSUMERS.NOTIFIER,
      await lastSeqOf(nc, STREAMS.ALERTS.name),
      watch("notifier"),
    );

  // timestamps start far enough back that every price of the run is in the past
  const walk = new PriceWalk(opt.seed, now - (2 * opt.prices + 30_000) * STEP_MS);
  // a few prices first, so burst 1 measures a warm evaluator (not measured; their alerts join the backlog)
  const warmup = Math.min(2000, Math.ceil(opt.prices / 10));
  progress(`warming the evaluator up with ${warmup} prices`);
  await drainPrices((await publishPrices(nc, walk.take(warmup), opt.window)).lastSeq);
  const warmAlerts = await lastSeqOf(nc, STREAMS.ALERTS.name);
  progress(`burst 1, evaluator alone: publishing ${opt.prices} prices, ${opt.window} in flight`);
  const alone = await publishPrices(nc, walk.take(opt.prices), opt.window);
  const aloneDone = await drainPrices(alone.lastSeq);
  const backlogAlerts = await lastSeqOf(nc, STREAMS.ALERTS.name);
  const aloneAlerts = backlogAlerts - warmAlerts;

  progress(`starting the notifier: ${backlogAlerts} alerts are waiting for it`);
  const notifier = await startService(ROOT, "notifier", env);
  cleanup.add("stop the notifier", () => notifier.stop());
  services.push(notifier);
  const backlog = await drainAlerts();

  progress(`burst 2, whole pipeline: publishing ${opt.prices} prices, ${opt.window} in flight`);
  const burst = await publishPrices(nc, walk.take(opt.prices), opt.window);
  const evaluated = await drainPrices(burst.lastSeq);
  const burstAlerts = (await lastSeqOf(nc, STREAMS.ALERTS.name)) - backlogAlerts;
  const delivered = await drainAlerts();
  const evaluatorRate = rate(opt.prices, evaluated.at - burst.startedAt);
  const notifierRate = rate(burstAlerts, delivered.at - burst.startedAt);
  const notifierAlone = rate(backlogAlerts - backlog.first.ackFloor, backlog.at - backlog.first.at);

  // paced at half the slower stage's measured capacity, so latency shows the pipeline, not a queue
  const alertsPerPrice = Math.max(burstAlerts / opt.prices, 1e-9);
  const notifierCapacity = notifierAlone.perSecond > 0 ? notifierAlone.perSecond : notifierRate.perSecond;
  const capacity = Math.min(evaluatorRate.perSecond, notifierCapacity / alertsPerPrice);
  const pacedRate = Math.max(1, Math.floor(capacity / 2));
  const pacedCount = Math.round(pacedRate * opt.pacedSeconds);
  progress(`paced: publishing ${pacedCount} prices at ${pacedRate}/s`);
  const paced = await publishPrices(nc, walk.take(pacedCount), opt.window, pacedRate);
  await drainPrices(pacedCount > 0 ? paced.lastSeq : burst.lastSeq);
  await drainAlerts();
  const deadLetters = await lastSeqOf(nc, STREAMS.DEADLETTER.name);
  for (const p of services) if (p.tail() !== "") progress(`${p.name} logged (LOG_LEVEL=warn):\n${p.tail()}`);

  progress("reading alerts, price timestamps and delivery records");
  const channels = new Map(Array.from({ length: users }, (_, i) => [userIdOf(i), channelIdOf(i)]));
  const c = await collect(nc, (userId) => channels.get(userId) ?? "none");
  const inBurst = (seq: number): boolean => seq >= burst.firstSeq && seq <= burst.lastSeq;
  const inPaced = (seq: number): boolean => seq > burst.lastSeq;
  const sentAt = new Map([...burst.sentAt, ...paced.sentAt]);
  const sentCount = (pick: (seq: number) => boolean): number =>
    c.alerts.filter((a) => pick(a.priceSeq) && a.deliveredMs !== undefined).length;
  const pacedLatency = phaseLatency(c, sentAt, inPaced);

  return {
    date: new Date().toISOString(),
    node: process.version,
    natsServer: nc.info?.version ?? "unknown",
    cpu: cpus()[0]?.model ?? "unknown",
    cpuCount: cpus().length,
    options: {
      prices: opt.prices,
      rules: opt.rules,
      raw: opt.raw,
      users,
      window: opt.window,
      pacedSeconds: opt.pacedSeconds,
      seed: opt.seed,
    },
    raw,
    alone: {
      evaluator: rate(opt.prices, aloneDone.at - alone.startedAt),
      alerts: aloneAlerts,
      notifier: notifierAlone,
    },
    pipeline: {
      publish: burst.rate,
      evaluator: evaluatorRate,
      notifier: notifierRate,
      alerts: burstAlerts,
      pricesFiring: new Set(c.alerts.filter((a) => inBurst(a.priceSeq)).map((a) => a.priceSeq)).size,
      deliveriesSent: sentCount(inBurst),
      deliveriesMissing: c.alerts.length - sentCount(() => true),
      deadLetters,
    },
    latency: {
      alone: phaseLatency(c, sentAt, (seq) => seq >= alone.firstSeq && seq <= alone.lastSeq).alertPublished,
      burst: phaseLatency(c, sentAt, inBurst),
      paced: {
        ...pacedLatency,
        pricesPerSecond: pacedRate,
        prices: pacedCount,
        alerts: pacedLatency.alertPublished.count,
      },
    },
  };
}

async function main(): Promise<void> {
  const cleanup = new Cleanup(progress);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      progress(`${signal}: stopping the services and nats-server`);
      void cleanup.run().then(() => process.exit(130));
    });
  }
  let code = 0;
  try {
    const result = await run(cleanup);
    process.stdout.write(`${renderReport(result)}\n`);
    const json = options().json;
    if (json !== undefined) {
      mkdirSync(dirname(resolve(json)), { recursive: true });
      writeFileSync(json, `${JSON.stringify(result, null, 2)}\n`);
      progress(`figures written to ${json}`);
    }
  } catch (e) {
    if (!interrupted) progress(`failed: ${(e as Error).stack ?? String(e)}`);
    code = interrupted ? 130 : 1;
  } finally {
    await cleanup.run();
  }
  process.exit(code);
}

void main();
