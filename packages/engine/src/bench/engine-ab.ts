/**
 * Two builds of the engine in one process, fed the same ticks batch by batch
 * in alternating order: a comparison that the machine's own drift in speed
 * (which moves separate runs by up to a fifth) affects equally.
 *
 * Usage: node packages/engine/dist/bench/engine-ab.js DIST_A DIST_B [--ticks N] [--rules N] [--json FILE]
 * where DIST_A and DIST_B are built `dist` folders of packages/engine (for
 * example one built from an older commit into a scratch folder inside the
 * package, so that it resolves the same dependencies).
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
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

/** prices per batch, each engine's share timed on its own */
const BATCH = 250;

async function load(dist: string): Promise<EngineClass> {
  const url = pathToFileURL(resolve(dist, "rule-engine.js")).href;
  const mod = (await import(url)) as { RuleEngine?: EngineClass };
  if (mod.RuleEngine === undefined) throw new Error(`${dist}/rule-engine.js has no RuleEngine`);
  return mod.RuleEngine;
}

/** one function per engine, so that each is compiled for its own engine's classes */
function runA(e: Engine, batch: PriceTick[]): number {
  let n = 0;
  for (let j = 0; j < batch.length; j++) n += e.onPrice(batch[j] as PriceTick).length;
  return n;
}
function runB(e: Engine, batch: PriceTick[]): number {
  let n = 0;
  for (let j = 0; j < batch.length; j++) n += e.onPrice(batch[j] as PriceTick).length;
  return n;
}

async function main(): Promise<void> {
  const [distA, distB] = process.argv
    .slice(2)
    .filter((a, i, all) => !a.startsWith("--") && !all[i - 1]?.startsWith("--"));
  if (distA === undefined || distB === undefined) {
    throw new UsageError("usage: engine-ab.js DIST_A DIST_B [--ticks N] [--rules N] [--json FILE]");
  }
  const ticks = Math.floor(numberOption("ticks", 2_000_000));
  const ruleCount = Math.floor(numberOption("rules", 1_000_000));
  const json = stringOption("json");
  const progress = new Progress();
  const classes = [await load(distA), await load(distB)];
  const instruments = benchInstruments(1000, new Prng(1));
  const units = new Map(instruments.map((i) => [i.id, i.unit]));
  const engines = classes.map((C) => new C({ unitOf: (id) => units.get(id) }));
  const factory = new RuleFactory(instruments, ruleCount, new Prng(2), ticks * STEP_MS);
  const rules: Rule[] = [];
  for (let i = 0, k = 0; i < instruments.length; i++) {
    for (let c = 0; c < (factory.counts[i] as number); c++, k++) rules.push(factory.make(k, i));
  }
  // in one batch, as the evaluator and the engine benchmark load them
  for (const e of engines) {
    if (e.upsertRules !== undefined) e.upsertRules(rules);
    else for (const r of rules) e.upsertRule(r);
  }
  process.stderr.write(`built ${ruleCount.toLocaleString("en-US")} rules in each engine\n`);
  const stream = generateTicks(instruments, ticks, new Prng(3));
  const ms = [0, 0];
  const decisions = [0, 0];
  for (let from = 0, n = 0; from < ticks; from += BATCH, n++) {
    const batch = priceTicks(stream, instruments, from, Math.min(ticks, from + BATCH));
    for (const x of n % 2 === 0 ? [0, 1] : [1, 0]) {
      const t0 = performance.now();
      decisions[x] = (decisions[x] as number) + (x === 0 ? runA : runB)(engines[x] as Engine, batch);
      ms[x] = (ms[x] as number) + performance.now() - t0;
    }
    if (n % 400 === 0) progress.update(`${from.toLocaleString("en-US")} / ${ticks.toLocaleString("en-US")} ticks`);
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
  };
  const row = (name: string, v: { dist: string; ticksPerSecond: number; decisions: number | undefined }): string =>
    `${name}  ${Math.round(v.ticksPerSecond).toLocaleString("en-US").padStart(10)} ticks/s  ${String(v.decisions).padStart(9)} decisions  ${v.dist}`;
  process.stdout.write(
    `${row("A", result.a)}\n${row("B", result.b)}\nB / A: ${result.speedupBOverA.toFixed(3)}${decisions[0] === decisions[1] ? "" : "  (the builds decide differently)"}\n`,
  );
  if (json !== undefined) writeJson(json, result);
}

main().catch(reportFailure);
