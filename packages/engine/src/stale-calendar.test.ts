import { INSTRUMENT_CATALOGUE, calendarForInstrument, marketCalendar } from "@rea/contracts";
import type { Rule } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { ReferenceEvaluator } from "./reference-evaluator.js";
import { RuleEngine } from "./rule-engine.js";
import type { EngineOptions } from "./types.js";

const catalogue = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i]));
const opts: EngineOptions = {
  unitOf: (id) => catalogue.get(id)?.unit,
  calendarOf: (id) => {
    const inst = catalogue.get(id);
    return inst === undefined ? undefined : marketCalendar(calendarForInstrument(inst));
  },
};

const staleRule: Rule = {
  id: "r_stalecal01",
  userId: "u_stalecal01",
  revision: 1,
  instrument: "SZ300748",
  condition: { type: "stale", after: "4h" },
  unit: "CNY/share",
  once: false,
  expiresAt: null,
  channels: ["telegram"],
  enabled: true,
  createdAt: "2026-01-09T00:00:00Z",
  updatedAt: "2026-01-09T00:00:00Z",
};

describe("stale rules on a market calendar", () => {
  for (const [name, make] of [
    ["the engine", () => new RuleEngine(opts)],
    ["the reference evaluator", () => new ReferenceEvaluator(opts)],
  ] as const) {
    it(`${name}: counts only trading hours and never fires while Shenzhen is closed`, () => {
      const e = make();
      e.upsertRule(staleRule);
      // Friday 9 January 2026, 14:59 Beijing time (06:59 UTC): the last trade of the week
      e.onPrice({
        instrument: "SZ300748",
        price: 36.5,
        unit: "CNY/share",
        ts: "2026-01-09T06:59:00Z",
        tsMs: Date.parse("2026-01-09T06:59:00Z"),
        source: "sina",
        seq: 1,
      });
      // the weekend passes: wall-clock 60 hours, market closed
      expect(e.onClock(Date.parse("2026-01-10T04:00:00Z"))).toEqual([]);
      expect(e.onClock(Date.parse("2026-01-11T12:00:00Z"))).toEqual([]);
      // Monday 12 January, 11:00 Beijing: 1 min on Friday + 1h30 this morning = 1h31 of trading, not 4h
      expect(e.onClock(Date.parse("2026-01-12T03:00:00Z"))).toEqual([]);
      // the lunch break is closed, too
      expect(e.onClock(Date.parse("2026-01-12T04:30:00Z"))).toEqual([]);
      // 14:30: 1 min + 2h + 1h30 = 3h31; 14:59 makes 4h
      expect(e.onClock(Date.parse("2026-01-12T06:30:00Z"))).toEqual([]);
      const fired = e.onClock(Date.parse("2026-01-12T06:59:00Z"));
      expect(fired.map((d) => (d.kind === "alert" ? d.alert.id : d.kind))).toEqual(["r_stalecal01:1:stale:1"]);
    });
  }
});
