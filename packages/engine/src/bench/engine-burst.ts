/**
 * `npm run bench:burst`: the cost of a price that fires a large share of a
 * popular instrument's rules at once, and of the price that re-arms them.
 * One instrument (Pr-Nd oxide, CNY/t) holds `--rules` level and cross rules
 * with thresholds spread evenly within 5% of 450,000 CNY/t; the price then
 * jumps between 1 - `--jump` and 1 + `--jump` times that, so each rise fires
 * every rule in between and each fall re-arms them.
 * Options: --rules N (200000) --jump PCT (1) --bursts N (40) --seed N (1) --json FILE
 */
import { performance } from "node:perf_hooks";
import type { Rule } from "@rea/contracts";
import { RuleEngine } from "../rule-engine.js";
import type { PriceTick } from "../types.js";
import { UsageError, numberOption, reportFailure, stringOption, writeJson } from "./options.js";
import { Prng } from "./prng.js";
import { summarise } from "./report.js";
import type { LatencySummary } from "./report.js";
import { ruleId } from "./workload.js";

const INSTRUMENT = "PRND_OXIDE";
const UNIT = "CNY/t";
const BASE = 450_000;
const SPREAD = 0.05;
/** rises and falls before the measured ones (the compiler, the first fill of the indexes) */
const WARMUP = 6;
const CREATED = "2025-01-01T00:00:00Z";

interface Side {
  ticks: number;
  /** rules fired (rises) or re-armed (falls) per price */
  rulesPerTick: number;
  nsPerRule: number;
  msPerTick: LatencySummary;
}

function side(ms: number[], rules: number): Side {
  const total = ms.reduce((s, x) => s + x, 0);
  return {
    ticks: ms.length,
    rulesPerTick: ms.length > 0 ? rules / ms.length : 0,
    nsPerRule: rules > 0 ? (total * 1e6) / rules : 0,
    msPerTick: summarise(Float64Array.from(ms)),
  };
}

function main(): void {
  const rules = Math.floor(numberOption("rules", 200_000));
  const jump = numberOption("jump", 1) / 100;
  const bursts = Math.floor(numberOption("bursts", 40));
  const rng = new Prng(Math.floor(numberOption("seed", 1)));
  const json = stringOption("json");
  if (jump >= SPREAD) throw new UsageError(`--jump must stay under ${SPREAD * 100}%`);

  const engine = new RuleEngine({ unitOf: (id) => (id === INSTRUMENT ? UNIT : undefined) });
  for (let k = 0; k < rules; k++) {
    const value = Math.round(BASE * (1 + rng.between(-SPREAD, SPREAD)));
    const rule: Rule = {
      id: ruleId(k),
      userId: `u_${String(k % 50_000).padStart(8, "0")}`,
      revision: 1,
      instrument: INSTRUMENT,
      condition: { type: k % 3 === 0 ? "cross_up" : "above", value },
      unit: UNIT,
      once: false,
      expiresAt: null,
      channels: ["telegram"],
      enabled: true,
      createdAt: CREATED,
      updatedAt: CREATED,
    };
    engine.upsertRule(rule);
  }

  const t0 = Date.parse(CREATED);
  const rise: number[] = [];
  const fall: number[] = [];
  let fired = 0;
  let seq = 0;
  for (let b = 0; b < WARMUP + bursts; b++) {
    for (const up of [false, true]) {
      seq++;
      const tsMs = t0 + seq * 60_000;
      const tick: PriceTick = {
        instrument: INSTRUMENT,
        price: Math.round(BASE * (up ? 1 + jump : 1 - jump)),
        unit: UNIT,
        ts: new Date(tsMs).toISOString(),
        tsMs,
        source: "smm",
        seq,
      };
      const a = performance.now();
      const ds = engine.onPrice(tick);
      const ms = performance.now() - a;
      if (b < WARMUP) continue;
      if (up) {
        rise.push(ms);
        fired += ds.length;
      } else {
        fall.push(ms);
      }
    }
  }
  // a fall re-arms every rule the rise before it fired (it goes below all their thresholds): as many rules
  const result = {
    node: process.version,
    instrument: INSTRUMENT,
    rules,
    jumpPct: jump * 100,
    rise: side(rise, fired),
    fall: side(fall, rise.length > 0 ? (fired / rise.length) * fall.length : 0),
  };
  const n = (x: number, d = 0): string =>
    x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const rows: Array<[string, string, string]> = [
    ["", "rise (fires)", "fall (re-arms)"],
    ["prices measured", n(result.rise.ticks), n(result.fall.ticks)],
    ["rules per price", n(result.rise.rulesPerTick), n(result.fall.rulesPerTick)],
    ["ns per rule", n(result.rise.nsPerRule), n(result.fall.nsPerRule)],
    ["ms per price p50", n(result.rise.msPerTick.p50, 2), n(result.fall.msPerTick.p50, 2)],
    ["ms per price max", n(result.rise.msPerTick.max, 2), n(result.fall.msPerTick.max, 2)],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
  const w1 = Math.max(...rows.map((r) => r[1].length)) + 2;
  process.stdout.write(
    `Burst benchmark (${process.version}): ${n(rules)} rules on ${INSTRUMENT} within ${SPREAD * 100}% of ${n(BASE)} ${UNIT}, price jumping by ±${n(jump * 100, 1)}%\n\n` +
      rows.map((r) => `${r[0].padEnd(w0)}${r[1].padEnd(w1)}${r[2]}`).join("\n") +
      "\n",
  );
  if (json !== undefined) writeJson(json, result);
}

try {
  main();
} catch (err: unknown) {
  reportFailure(err);
}
