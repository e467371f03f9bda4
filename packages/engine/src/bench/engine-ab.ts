/**
 * Two builds of the engine, each in a process of its own, fed the same ticks
 * batch by batch and taking turns: only one process runs at a time, and the
 * one that goes first alternates. A comparison that the machine's own drift
 * in speed (which moves separate runs by up to a fifth, and more between its
 * phases) affects equally, without the two builds sharing one heap and one
 * compiler's feedback (which an earlier form of this tool, both builds in one
 * process, did: its ratios contradicted each other across three builds).
 *
 * Usage: node packages/engine/dist/bench/engine-ab.js DIST_A DIST_B [--ticks N] [--rules N] [--json FILE]
 * where DIST_A and DIST_B are built `dist` folders of packages/engine (for
 * example one built from an older commit into a scratch folder inside the
 * package, so that it resolves the same dependencies). Run it with the
 * engine benchmark's flags (`node --max-old-space-size=4096
 * --max-semi-space-size=32 ...`): each build's process gets them too.
 */
import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Rule } from "@rea/contracts";
import type { Decision, EngineOptions, PriceTick } from "../types.js";
import { UsageError, numberOption, reportFailure, stringOption, writeJson } from "./options.js";
import { Prng } from "./prng.js";
import { Progress } from "./progress.js";
import { RuleFactory, STEP_MS, benchInstruments, generateTicks, priceTicks } from "./workload.js";

interface Engine {
  upsertRule(rule: Rule): void;
  /** builds before upsertRules load their rules one by one */
  upsertRules?(rules: readonly Rule[]): unknown[];
  onPrice(tick: PriceTick): Decision[];
}
type EngineClass = new (opts: EngineOptions) => Engine;

/** prices per turn, as the engine benchmark's batches */
const BATCH = 2_000;

/** what a build's process reports: ready to take turns, or the time its turn's batch took */
type Report = { ready: true } | { ms: number; decisions: number };

async function load(dist: string): Promise<EngineClass> {
  const url = pathToFileURL(resolve(dist, "rule-engine.js")).href;
  const mod = (await import(url)) as { RuleEngine?: EngineClass };
  if (mod.RuleEngine === undefined) throw new Error(`${dist}/rule-engine.js has no RuleEngine`);
  return mod.RuleEngine;
}

function run(e: Engine, batch: PriceTick[]): number {
  let n = 0;
  for (let j = 0; j < batch.length; j++) n += e.onPrice(batch[j] as PriceTick).length;
  return n;
}

/** The process of one build: builds the workload, then runs one batch per turn the parent gives it. */
async function buildProcess(dist: string, ticks: number, ruleCount: number): Promise<void> {
  const send = (r: Report): void => void process.send?.(r);
  const turns: Array<() => void> = [];
  let given = 0;
  process.on("message", () => {
    given++;
    turns.shift()?.();
  });
  const turn = (): Promise<void> =>
    given > 0 ? Promise.resolve() : new Promise<void>((resolveTurn) => void turns.push(resolveTurn));
  const C = await load(dist);
  const instruments = benchInstruments(1000, new Prng(1));
  const units = new Map(instruments.map((i) => [i.id, i.unit]));
  const engine = new C({ unitOf: (id) => units.get(id) });
  const factory = new RuleFactory(instruments, ruleCount, new Prng(2), ticks * STEP_MS);
  const rules: Rule[] = [];
  for (let i = 0, k = 0; i < instruments.length; i++) {
    for (let c = 0; c < (factory.counts[i] as number); c++, k++) rules.push(factory.make(k, i));
  }
  // in one batch, as the evaluator and the engine benchmark load them
  if (engine.upsertRules !== undefined) engine.upsertRules(rules);
  else for (const r of rules) engine.upsertRule(r);
  const stream = generateTicks(instruments, ticks, new Prng(3));
  send({ ready: true });
  for (let from = 0; from < ticks; from += BATCH) {
    await turn();
    given--;
    const batch = priceTicks(stream, instruments, from, Math.min(ticks, from + BATCH));
    const t0 = performance.now();
    const decisions = run(engine, batch);
    send({ ms: performance.now() - t0, decisions });
  }
  process.disconnect();
}

/** the next report of a build's process */
function next(child: ChildProcess): Promise<Report> {
  return new Promise((resolveReport, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`a build's process stopped (exit code ${code})`));
    child.once("exit", onExit);
    child.once("message", (m) => {
      child.off("exit", onExit);
      resolveReport(m as Report);
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf("--build-process");
  const ticks = Math.floor(numberOption("ticks", 2_000_000));
  const ruleCount = Math.floor(numberOption("rules", 1_000_000));
  if (childAt >= 0) {
    await buildProcess(process.argv[childAt + 1] as string, ticks, ruleCount);
    return;
  }
  const [distA, distB] = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
  if (distA === undefined || distB === undefined) {
    throw new UsageError("usage: engine-ab.js DIST_A DIST_B [--ticks N] [--rules N] [--json FILE]");
  }
  const json = stringOption("json");
  const progress = new Progress();
  const self = fileURLToPath(import.meta.url);
  const children = [distA, distB].map((dist) =>
    fork(self, ["--build-process", dist, "--ticks", String(ticks), "--rules", String(ruleCount)], {
      execArgv: process.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    }),
  ) as [ChildProcess, ChildProcess];
  try {
    progress.update(`building ${ruleCount.toLocaleString("en-US")} rules in each build's process`);
    await Promise.all(children.map(next));
    const ms = [0, 0];
    const decisions = [0, 0];
    /** B's time over A's, batch by batch */
    const ratios: number[] = [];
    for (let from = 0, n = 0; from < ticks; from += BATCH, n++) {
      const took = [0, 0];
      for (const x of n % 2 === 0 ? [0, 1] : [1, 0]) {
        const child = children[x] as ChildProcess;
        const report = next(child);
        child.send("go");
        const r = await report;
        if (!("ms" in r)) throw new Error("a build's process reported out of turn");
        took[x] = r.ms;
        ms[x] = (ms[x] as number) + r.ms;
        decisions[x] = (decisions[x] as number) + r.decisions;
      }
      ratios.push((took[1] as number) / (took[0] as number));
      if (n % 50 === 0) progress.update(`${from.toLocaleString("en-US")} / ${ticks.toLocaleString("en-US")} ticks`);
    }
    progress.done(`${ticks.toLocaleString("en-US")} / ${ticks.toLocaleString("en-US")} ticks`);
    const [msA, msB] = ms as [number, number];
    const result = {
      node: process.version,
      ticks,
      rules: ruleCount,
      a: { dist: distA, ticksPerSecond: (ticks / msA) * 1000, decisions: decisions[0] },
      b: { dist: distB, ticksPerSecond: (ticks / msB) * 1000, decisions: decisions[1] },
      /** above 1: B is faster */
      speedupBOverA: msA / msB,
      /** the same, from the median of B's time over A's on each batch */
      medianBatchSpeedupBOverA: 1 / median(ratios),
    };
    const row = (name: string, v: { dist: string; ticksPerSecond: number; decisions: number | undefined }): string =>
      `${name}  ${Math.round(v.ticksPerSecond).toLocaleString("en-US").padStart(10)} ticks/s  ${String(v.decisions).padStart(9)} decisions  ${v.dist}`;
    process.stdout.write(
      `${row("A", result.a)}\n${row("B", result.b)}\nB / A: ${result.speedupBOverA.toFixed(3)} (median of batches ${result.medianBatchSpeedupBOverA.toFixed(3)})${decisions[0] === decisions[1] ? "" : "  (the builds decide differently)"}\n`,
    );
    if (json !== undefined) writeJson(json, result);
  } finally {
    for (const c of children) c.kill();
  }
}

main().catch(reportFailure);
