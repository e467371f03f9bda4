#!/usr/bin/env node
// Builds demo-prices.jsonl from the quoted market figures. Quoted points keep
// their agency as source ("smm", "baotou"); the days between them are filled
// with a seeded random walk pinned to both ends (a Brownian bridge) and carry
// the source "demo-fill", so nobody mistakes a filled day for a quote.
// The Hong Kong shares reproduce the quoted one-day moves (00769 +29.41%,
// 06680 +2.71%) on invented price levels and an invented date: every one of
// their prices is "demo-fill"; only the percentages come from the reports.
// Usage: node infra/feeds/build-demo-data.mjs > infra/feeds/demo-prices.jsonl
import process from "node:process";

let seed = 20250311;
const rand = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

const DAY = 86_400_000;
const day = (d) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");
const roundTo = (price, step) => Number((Math.round(price / step) * step).toFixed(6));
const isWeekday = (ms) => ![0, 6].includes(new Date(ms).getUTCDay());

// Quoted anchors: [date, price, source]
const SERIES = {
  PRND_OXIDE: {
    unit: "CNY/t",
    step: 500,
    vol: 0.006,
    anchors: [
      ["2025-01-27", 415000, "smm"],
      ["2025-02-25", 451000, "demo-fill"],
      ["2025-02-28", 444000, "smm"],
      ["2025-03-11", 444000, "smm"],
    ],
  },
  PRND_ALLOY: {
    unit: "CNY/t",
    step: 500,
    vol: 0.004,
    anchors: [
      ["2025-02-28", 546500, "smm"],
      ["2025-03-11", 544000, "smm"],
    ],
  },
  DY_OXIDE: {
    unit: "CNY/kg",
    step: 5,
    vol: 0.004,
    anchors: [
      ["2025-01-27", 1665, "smm"],
      ["2025-02-28", 1710, "smm"],
      ["2025-03-11", 1705, "smm"],
    ],
  },
  TB_OXIDE: {
    unit: "CNY/kg",
    step: 5,
    vol: 0.006,
    anchors: [
      ["2025-01-27", 5940, "smm"],
      ["2025-02-28", 6475, "smm"],
      ["2025-03-11", 6525, "smm"],
    ],
  },
  // end-2025 levels derived from the quoted January rises (+20.08%, +19.92%, +33.46%)
  ND_OXIDE: {
    unit: "CNY/t",
    step: 500,
    vol: 0.008,
    anchors: [
      ["2025-12-31", 610000, "demo-fill"],
      ["2026-01-28", 732500, "baotou"],
    ],
  },
  PR_OXIDE: {
    unit: "CNY/t",
    step: 500,
    vol: 0.008,
    anchors: [
      ["2025-12-31", 611500, "demo-fill"],
      ["2026-01-28", 733300, "baotou"],
    ],
  },
  Y_OXIDE: {
    unit: "CNY/t",
    step: 100,
    vol: 0.01,
    anchors: [
      ["2025-12-31", 57700, "demo-fill"],
      ["2026-01-28", 77000, "baotou"],
    ],
  },
  // quoted one-day moves on invented levels, at the Hong Kong close (16:08 HKT)
  HK00769: {
    unit: "HKD/share",
    step: 0.01,
    vol: 0.02,
    at: 8 * 3600_000 + 8 * 60_000,
    anchors: [
      ["2026-01-02", 0.47, "demo-fill"],
      ["2026-01-13", 0.51, "demo-fill"],
      ["2026-01-14", 0.66, "demo-fill"],
      ["2026-01-30", 0.62, "demo-fill"],
    ],
  },
  HK06680: {
    unit: "HKD/share",
    step: 0.01,
    vol: 0.015,
    at: 8 * 3600_000 + 8 * 60_000,
    anchors: [
      ["2026-01-02", 10.6, "demo-fill"],
      ["2026-01-13", 11.08, "demo-fill"],
      ["2026-01-14", 11.38, "demo-fill"],
      ["2026-01-30", 11.5, "demo-fill"],
    ],
  },
};

const out = [];
for (const [instrument, s] of Object.entries(SERIES)) {
  for (let i = 0; i < s.anchors.length; i++) {
    const [d0, p0, src0] = s.anchors[i];
    const at = s.at ?? 0;
    out.push({ instrument, price: p0, unit: s.unit, ts: iso(day(d0) + at), source: src0 });
    const next = s.anchors[i + 1];
    if (!next) break;
    const [d1, p1] = next;
    const days = [];
    for (let t = day(d0) + DAY; t < day(d1); t += DAY) if (isWeekday(t)) days.push(t);
    // Brownian bridge in log space between the two anchors
    let w = 0;
    const n = days.length + 1;
    const walk = days.map(() => (w += gauss() * s.vol));
    const end = walk.length ? w + gauss() * s.vol : 0;
    days.forEach((t, k) => {
      const frac = (k + 1) / n;
      const logP = Math.log(p0) + frac * (Math.log(p1) - Math.log(p0)) + (walk[k] - frac * end);
      const price = roundTo(Math.exp(logP), s.step);
      out.push({ instrument, price, unit: s.unit, ts: iso(t + at), source: "demo-fill" });
    });
  }
}
out.sort((a, b) => a.ts.localeCompare(b.ts) || a.instrument.localeCompare(b.instrument));
process.stdout.write(out.map((o) => JSON.stringify(o)).join("\n") + "\n");
