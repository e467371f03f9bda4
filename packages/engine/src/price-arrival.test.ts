import { describe, expect, it } from "vitest";
import { Harness, alertsOf, rule, tick } from "./test-support/fixtures.js";

describe("late and duplicate prices", () => {
  it("keeps a price older than the latest for history, fires nothing on it, and uses it as a reference later", () => {
    const h = new Harness().upsert(
      rule("prnd5pct", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
      rule("prndhigh", "PRND_OXIDE", { type: "above", value: 480000 }),
    );
    expect(h.price(tick("PRND_OXIDE", 444000, "2025-02-28"))).toEqual([]);
    expect(h.price(tick("PRND_OXIDE", 500000, "2025-02-20"))).toEqual([]);
    expect(h.price(tick("PRND_OXIDE", 415000, "2025-01-27"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 445000, "2025-03-01")));
    expect(a?.reference).toEqual({ value: 415000, ts: "2025-01-27T00:00:00Z" });
    expect(a?.change?.pct).toBe(7.23);
  });

  it("ignores an exact duplicate (same time, price and source) but evaluates a same-time price from another source", () => {
    const h = new Harness().upsert(rule("xup45000", "PRND_OXIDE", { type: "cross_up", value: 450000 }));
    const t = tick("PRND_OXIDE", 449000, "2025-02-24");
    h.price(t);
    expect(h.price({ ...t, seq: t.seq + 500 })).toEqual([]);
    const up = tick("PRND_OXIDE", 451000, "2025-02-25");
    expect(alertsOf(h.price(up))).toHaveLength(1);
    expect(h.price({ ...up, seq: up.seq + 500 })).toEqual([]);
    h.price(tick("PRND_OXIDE", 449000, "2025-02-25", { source: "baotou" }));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-02-25", { source: "other" })))).toHaveLength(1);
  });

  it("ignores a late price older than the history kept for the instrument's windows", () => {
    const h = new Harness().upsert(
      rule("prnd2obs", "PRND_OXIDE", { type: "change", direction: "any", pct: 5, window: { obs: 2 } }),
    );
    h.prices(
      tick("PRND_OXIDE", 400000, "2025-03-01"),
      tick("PRND_OXIDE", 401000, "2025-03-02"),
      tick("PRND_OXIDE", 402000, "2025-03-03"),
      tick("PRND_OXIDE", 403000, "2025-03-04"),
    );
    const kept = h.engine.snapshot().instruments[0]?.history.ts;
    expect(kept).toEqual(["2025-03-02T00:00:00Z", "2025-03-03T00:00:00Z", "2025-03-04T00:00:00Z"]);
    expect(h.price(tick("PRND_OXIDE", 300000, "2025-03-01T12:00:00Z"))).toEqual([]);
    expect(h.engine.snapshot().instruments[0]?.history.ts).toEqual(kept);
  });

  it("a rule reaching further back than the history kept waits for history, however many prices were quiet", () => {
    const h = new Harness().upsert(
      rule("prnd20h1", "PRND_OXIDE", { type: "change", direction: "up", pct: 20, window: "1h" }),
    );
    // six hours of prices every ten minutes, none anywhere near a 20% move: most of them quiet
    for (let m = 0; m <= 360; m += 10) {
      const at = new Date(Date.parse("2025-03-03T00:00:00Z") + m * 60_000).toISOString();
      h.price(tick("PRND_OXIDE", 400000 + (m % 30) * 100, at));
    }
    h.upsert(rule("prnd5h4", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "4h" }));
    expect(h.state("prnd5h4")).toMatchObject({ status: "waiting", waitingFor: "history" });
  });

  it("an edit to a longer window is armed or not from the history kept, however many prices were quiet", () => {
    const at = (minutes: number): string =>
      new Date(Date.parse("2025-03-03T00:00:00Z") + minutes * 60_000).toISOString();
    // re-arms only on a 28% fall within an hour: a wide quiet box
    const up2 = rule(
      "prnd2up1",
      "PRND_OXIDE",
      { type: "change", direction: "up", pct: 2, window: "1h" },
      {
        rearm: { abs: 30 },
      },
    );
    const h = new Harness().upsert(
      up2,
      // keeps the one-hour window (and how far back the history reaches) when the edit leaves it
      rule("prnd50h1", "PRND_OXIDE", { type: "change", direction: "up", pct: 50, window: "1h" }),
      // 40 prices back for a while: the history's storage grows to hold more than the quiet prices below
      rule("prnd50o4", "PRND_OXIDE", { type: "change", direction: "up", pct: 50, window: { obs: 40 } }),
    );
    for (let m = 0; m <= 400; m += 10) h.price(tick("PRND_OXIDE", 400000, at(m)));
    h.remove("r_prnd50o4");
    expect(alertsOf(h.price(tick("PRND_OXIDE", 440000, at(410))))).toHaveLength(1);
    // a slow fall inside the quiet box, 0.7% every ten minutes: 3.5 hours of quiet prices
    let p = 440000;
    for (let m = 420; m <= 630; m += 10)
      expect(h.price(tick("PRND_OXIDE", (p = Math.round(p * 0.993)), at(m)))).toEqual([]);
    // the edit reaches back four hours, further than the history kept for one-hour windows: with no reference
    // it is not re-armed (it would be against the price four hours back, 5.7% above)
    h.upsert({
      ...up2,
      revision: 2,
      condition: { type: "change", direction: "up", pct: 2, window: "4h" },
      rearm: { abs: 1 },
    });
    expect(h.state("prnd2up1")).toMatchObject({ status: "waiting", waitingFor: "history" });
    // a rise of 0.5% every ten minutes: 2% over four hours once the history covers them, still disarmed
    for (let m = 640; m <= 1000; m += 10) h.price(tick("PRND_OXIDE", (p = Math.round(p * 1.005)), at(m)));
    expect(h.state("prnd2up1")).toMatchObject({ status: "disarmed", firedCount: 1 });
  });

  it("a late price older than a window's reference leaves that reference in place", () => {
    const h = new Harness().upsert(
      rule("prnd10d1", "PRND_OXIDE", { type: "change", direction: "up", pct: 10, window: "1d" }),
    );
    h.prices(
      tick("PRND_OXIDE", 400000, "2025-03-01T00:00:00Z"),
      tick("PRND_OXIDE", 404000, "2025-03-01T12:00:00Z"),
      tick("PRND_OXIDE", 408000, "2025-03-02T06:00:00Z"),
    );
    expect(h.price(tick("PRND_OXIDE", 390000, "2025-02-28T12:00:00Z"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 444000, "2025-03-02T08:00:00Z")));
    expect(a?.reference).toEqual({ value: 400000, ts: "2025-03-01T00:00:00Z" });
    expect(a?.change?.pct).toBe(11);
  });

  it("a late price just after a window's reference becomes the reference once the window reaches it", () => {
    const h = new Harness().upsert(
      rule("prnd10d2", "PRND_OXIDE", { type: "change", direction: "up", pct: 10, window: "1d" }),
    );
    h.prices(
      tick("PRND_OXIDE", 400000, "2025-03-01T00:00:00Z"),
      tick("PRND_OXIDE", 404000, "2025-03-01T12:00:00Z"),
      tick("PRND_OXIDE", 408000, "2025-03-02T03:00:00Z"),
    );
    expect(h.price(tick("PRND_OXIDE", 398000, "2025-03-01T06:00:00Z"))).toEqual([]);
    const [a] = alertsOf(h.price(tick("PRND_OXIDE", 440000, "2025-03-02T07:00:00Z")));
    expect(a?.reference).toEqual({ value: 398000, ts: "2025-03-01T06:00:00Z" });
    expect(a?.change?.pct).toBe(10.55);
  });
});
