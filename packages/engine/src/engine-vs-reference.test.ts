import type { Rule } from "@rea/contracts";
import { AlertSchema } from "@rea/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ReferenceEvaluator } from "./reference-evaluator.js";
import { RuleEngine } from "./rule-engine.js";
import { OPTS, plainDecisions } from "./test-support/fixtures.js";
import { INSTRUMENTS, Timeline, buildRule, events } from "./test-support/scenario.js";
import type { Event, RuleChoice } from "./test-support/scenario.js";
import type { Decision } from "./types.js";

/**
 * Runs one scenario through both and fails on the first difference. With
 * `batch`, the engine takes each run of consecutive rule adds and edits in
 * one upsertRules call (the reference still one by one).
 */
function runScenario(evs: Event[], batch = false): { alerts: number } {
  let engine = new RuleEngine(OPTS);
  let reference = new ReferenceEvaluator(OPTS);
  const timeline = new Timeline();
  const rules = new Map<string, Rule>();
  const ids: string[] = [];
  let alerts = 0;
  const same = (a: Decision[], b: Decision[], what: string): void => {
    expect(plainDecisions(a), what).toEqual(plainDecisions(b));
    for (const d of a) {
      if (d.kind !== "alert") continue;
      alerts++;
      AlertSchema.parse(d.alert);
    }
  };
  const pending: Rule[] = [];
  const upsert = (r: Rule): void => {
    if (batch) pending.push(r);
    else engine.upsertRule(r);
  };
  for (const [n, e] of evs.entries()) {
    if (e.type !== "add" && e.type !== "edit" && pending.length > 0) {
      expect(engine.upsertRules(pending.splice(0)), `event ${n}: rules refused`).toEqual([]);
    }
    switch (e.type) {
      case "price": {
        const t = timeline.price(e);
        same(engine.onPrice(t), reference.onPrice(t), `event ${n}: price ${JSON.stringify(t)}`);
        break;
      }
      case "clock": {
        const now = timeline.clock(e);
        same(engine.onClock(now), reference.onClock(now), `event ${n}: clock ${new Date(now).toISOString()}`);
        break;
      }
      case "add": {
        const id = `r_prop${String(ids.length).padStart(6, "0")}`;
        const r = buildRule(id, 1, e.rule, timeline.cursorMs);
        ids.push(id);
        rules.set(id, r);
        upsert(r);
        reference.upsertRule(r);
        break;
      }
      case "edit": {
        const id = ids[e.pick % Math.max(1, ids.length)];
        const old = id === undefined ? undefined : rules.get(id);
        if (id === undefined || old === undefined) break;
        const inst = e.moveInstrument ? e.rule.inst : INSTRUMENTS.findIndex((i) => i.id === old.instrument);
        const r = buildRule(id, Math.max(1, old.revision + e.revDelta), e.rule, timeline.cursorMs, inst);
        if (r.revision > old.revision) rules.set(id, r);
        upsert(r);
        reference.upsertRule(r);
        break;
      }
      case "remove": {
        const id = ids[e.pick % Math.max(1, ids.length)];
        if (id === undefined) break;
        rules.delete(id);
        engine.removeRule(id);
        reference.removeRule(id);
        break;
      }
      case "restart": {
        const saved = JSON.parse(JSON.stringify(engine.snapshot())) as ReturnType<RuleEngine["snapshot"]>;
        expect(saved, `event ${n}: snapshot`).toEqual(reference.snapshot());
        engine = RuleEngine.restore(saved, OPTS);
        if (e.crossRestore) reference = ReferenceEvaluator.restore(saved, OPTS);
        break;
      }
    }
  }
  if (pending.length > 0) expect(engine.upsertRules(pending.splice(0))).toEqual([]);
  for (const id of ids) expect(engine.ruleState(id), `state of ${id}`).toEqual(reference.ruleState(id));
  expect(engine.ruleCount()).toBe(reference.ruleCount());
  expect(JSON.parse(JSON.stringify(engine.snapshot()))).toEqual(reference.snapshot());
  return { alerts };
}

/** A rule added at the start on the first instrument, active and never expiring, as the long-path tests add them. */
function addOnFirst(
  rule: Pick<RuleChoice, "unit" | "kind" | "k" | "direction" | "byPct" | "size" | "window" | "rearm" | "cooldown">,
): Event {
  return {
    type: "add",
    rule: {
      ...rule,
      inst: 0,
      after: "30m",
      rearmSize: 1,
      once: false,
      expiresInMin: null,
      enabled: true,
      createdOffsetMin: 0,
    },
  };
}

/** a change rule on the first instrument, by `size` (percent or absolute), its direction from k, no cooldown */
function addChangeRule(
  k: number,
  byPct: boolean,
  size: RuleChoice["size"],
  window: RuleChoice["window"],
  rearm: RuleChoice["rearm"] = 0,
): Event {
  const direction = (["up", "down", "any"] as const)[k % 3] ?? "up";
  return addOnFirst({ unit: 0, kind: "change", k, direction, byPct, size, window, rearm, cooldown: null });
}

describe("RuleEngine against ReferenceEvaluator", () => {
  it("gives exactly the same decisions, states and snapshots on random rules and price paths", () => {
    let alerts = 0;
    fc.assert(
      fc.property(events(120), fc.boolean(), (evs, batch) => {
        alerts += runScenario(evs, batch).alerts;
      }),
      { seed: 20250228, numRuns: 400 },
    );
    expect(alerts).toBeGreaterThan(1000);
  });

  it("agrees on long paths over many rules sharing one instrument", () => {
    let heavyAlerts = 0;
    const kinds = ["above", "below", "cross_up", "cross_down", "change", "change", "stale"] as const;
    const crowd = fc.array(fc.record({ k: fc.integer({ min: 92, max: 108 }), kind: fc.nat(6), unit: fc.nat(4) }), {
      minLength: 40,
      maxLength: 80,
    });
    fc.assert(
      fc.property(crowd, events(400), fc.boolean(), (seeds, rest, batch) => {
        const adds: Event[] = seeds.map((s) => ({
          type: "add",
          rule: {
            inst: 0,
            unit: s.unit % 3 === 0 ? s.unit : 0,
            kind: kinds[s.kind] ?? "above",
            k: s.k,
            direction: (["up", "down", "any"] as const)[s.k % 3] ?? "up",
            byPct: s.k % 2 === 0,
            size: ([1, 2, 5, 10] as const)[s.k % 4] ?? 1,
            window: (["5m", "15m", "1h", { obs: 1 }, { obs: 3 }] as const)[s.k % 5] ?? "5m",
            after: "30m",
            rearm: (s.k % 3) as 0 | 1 | 2,
            rearmSize: 1,
            cooldown: s.k % 4 === 0 ? "10m" : null,
            once: s.k % 7 === 0,
            expiresInMin: null,
            enabled: true,
            createdOffsetMin: 0,
          },
        }));
        const prices: Event[] = rest.map((e) =>
          e.type === "price" ? { ...e, inst: e.inst % 2 === 0 ? 0 : e.inst } : e,
        );
        heavyAlerts += runScenario([...adds, ...prices], batch).alerts;
      }),
      { seed: 4500, numRuns: 60 },
    );
    expect(heavyAlerts).toBeGreaterThan(10_000);
  });

  it("agrees on long calm paths whose change windows span hundreds of observations", () => {
    // small moves every minute or two: most prices are quiet, and change rules look back
    // across far more observations than the engine reads ahead for its quiet box
    let calmAlerts = 0;
    const windows = ["4h", "1d", { obs: 40 }, { obs: 100 }, "15m", { obs: 8 }] as const;
    const rules = fc.array(fc.record({ k: fc.integer({ min: 96, max: 104 }), kind: fc.nat(5), size: fc.nat(3) }), {
      minLength: 20,
      maxLength: 40,
    });
    const path = fc.array(
      fc.oneof(
        {
          weight: 40,
          arbitrary: fc.record({
            type: fc.constant("price" as const),
            inst: fc.constantFrom(0, 0, 0, 3),
            k: fc.integer({ min: 97, max: 103 }),
            dtMin: fc.constantFrom(1, 1, 2),
            late: fc.integer({ min: 0, max: 99 }).map((n) => (n < 2 ? 0 : 1)),
            dup: fc.integer({ min: 0, max: 99 }).map((n) => (n < 2 ? 0 : 1)),
            source: fc.boolean(),
            tsForm: fc.constant(0),
          }),
        },
        { weight: 1, arbitrary: fc.record({ type: fc.constant("clock" as const), dtMin: fc.constantFrom(0, 5) }) },
      ),
      { minLength: 1500, maxLength: 2500 },
    );
    fc.assert(
      fc.property(rules, path, (seeds, prices) => {
        const adds = seeds.map((r) =>
          addOnFirst({
            unit: r.k % 5 === 0 ? 2 : 0,
            kind: (["change", "change", "change", "above", "below", "cross_up"] as const)[r.kind] ?? "change",
            k: r.k,
            direction: (["up", "down", "any"] as const)[r.k % 3] ?? "up",
            byPct: r.k % 2 === 0,
            size: ([1, 2, 5, 10] as const)[r.size] ?? 1,
            window: windows[r.k % windows.length] ?? "1d",
            rearm: (r.k % 3) as 0 | 1 | 2,
            cooldown: r.k % 4 === 0 ? "1h" : null,
          }),
        );
        calmAlerts += runScenario([...adds, ...prices]).alerts;
      }),
      { seed: 20260115, numRuns: 12 },
    );
    expect(calmAlerts).toBeGreaterThan(1_000);
  });

  it("agrees on paths that hold a price for long stretches, against observation windows shorter than the read-ahead", () => {
    // a level held for up to 80 prices keeps the quiet box standing long enough for the
    // reference of an {obs: N} window to become a price that came after the box was built
    let heldAlerts = 0;
    const windows = [{ obs: 20 }, { obs: 40 }, { obs: 60 }, "1h"] as const;
    const rules = fc.array(fc.record({ k: fc.integer({ min: 96, max: 104 }), size: fc.nat(2) }), {
      minLength: 4,
      maxLength: 12,
    });
    const segments = fc.array(
      fc.record({ k: fc.integer({ min: 94, max: 106 }), hold: fc.integer({ min: 1, max: 80 }) }),
      { minLength: 20, maxLength: 40 },
    );
    fc.assert(
      fc.property(rules, segments, (seeds, path) => {
        const adds = seeds.map((r) =>
          addChangeRule(r.k, r.k % 2 === 0, ([1, 2, 5] as const)[r.size] ?? 2, windows[r.k % windows.length] ?? "1h"),
        );
        const prices: Event[] = path.flatMap((seg) =>
          Array.from({ length: seg.hold }, () => ({
            type: "price" as const,
            inst: 0,
            k: seg.k,
            dtMin: 1,
            late: 1,
            dup: 1,
            source: false,
            tsForm: 0,
          })),
        );
        heldAlerts += runScenario([...adds, ...prices]).alerts;
      }),
      { seed: 20261203, numRuns: 40 },
    );
    expect(heldAlerts).toBeGreaterThan(100);
  });

  it("agrees on busy random walks, where bounded windows read ahead in ranges and open-ended ones narrow the box", () => {
    // a price a minute, each within 0.6% of the last: the box of a busy instrument, with open-ended
    // windows ({obs: 6}, {obs: 10}) whose parts narrow as prices join beside bounded ones
    let walkAlerts = 0;
    const windows = [{ obs: 10 }, { obs: 6 }, "1h", "30m", { obs: 50 }] as const;
    const rules = fc.array(
      fc.record({ k: fc.integer({ min: 96, max: 104 }), w: fc.nat(4), size: fc.nat(1), rearm: fc.nat(2) }),
      { minLength: 3, maxLength: 8 },
    );
    // now and then a late price (stamped 8 minutes before the cursor), which may be a new reference of any window
    const steps = fc.array(fc.tuple(fc.integer({ min: -6, max: 6 }), fc.nat(39)), { minLength: 300, maxLength: 700 });
    fc.assert(
      fc.property(rules, steps, (seeds, moves) => {
        const adds = seeds.map((r) =>
          addChangeRule(r.k, true, r.size === 0 ? 1 : 2, windows[r.w] ?? "1h", r.rearm as 0 | 1 | 2),
        );
        let k = 100;
        const prices: Event[] = moves.map(([m, late]) => {
          k = Math.min(120, Math.max(80, k * (1 + m / 1000)));
          return { type: "price", inst: 0, k, dtMin: 1, late, dup: 1, source: false, tsForm: 0 };
        });
        walkAlerts += runScenario([...adds, ...prices]).alerts;
      }),
      { seed: 20261207, numRuns: 40 },
    );
    expect(walkAlerts).toBeGreaterThan(1_000);
  });
});
