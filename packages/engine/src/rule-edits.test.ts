import { describe, expect, it } from "vitest";
import { Harness, alertsOf, rule, tick } from "./test-support/fixtures.js";

const above = (value: number, extra = {}) => rule("prndedit", "PRND_OXIDE", { type: "above", value }, extra);
/** on the same ladder as `above`, and never reached by the prices of the tests that use it */
const keeper = rule("prndkeep", "PRND_OXIDE", { type: "above", value: 900000 });

describe("rule edits", () => {
  it("does not double-fire: a disarmed rule stays quiet while its new threshold is still met", () => {
    const h = new Harness().upsert(above(450000));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 460000, "2025-03-01")))).toHaveLength(1);
    h.upsert(above(455000, { revision: 2 }));
    expect(h.state("prndedit")).toMatchObject({ revision: 2, status: "disarmed", firedCount: 1 });
    expect(h.price(tick("PRND_OXIDE", 461000, "2025-03-02"))).toEqual([]);
  });

  it("re-arms an edited rule whose new threshold the price is already past, and fires on the next move over it", () => {
    const h = new Harness().upsert(above(450000));
    h.price(tick("PRND_OXIDE", 460000, "2025-03-01"));
    h.upsert(above(470000, { revision: 2, rearm: { pct: 1 } }));
    expect(h.state("prndedit")?.status).toBe("armed");
    const t = tick("PRND_OXIDE", 471000, "2025-03-02");
    expect(alertsOf(h.price(t)).map((a) => a.id)).toEqual([`r_prndedit:2:${t.seq}`]);
  });

  it("ignores a same or lower revision", () => {
    const h = new Harness().upsert(above(450000, { revision: 3 }));
    h.upsert(above(400000, { revision: 3 }), above(400000, { revision: 2 }));
    expect(h.price(tick("PRND_OXIDE", 420000, "2025-03-01"))).toEqual([]);
    expect(h.state("prndedit")?.revision).toBe(3);
  });

  it("keeps the cooldown across an edit", () => {
    const h = new Harness().upsert(above(450000, { cooldown: "1d" }));
    h.price(tick("PRND_OXIDE", 451000, "2025-03-01T00:00:00Z"));
    h.price(tick("PRND_OXIDE", 440000, "2025-03-01T01:00:00Z"));
    h.upsert(above(452000, { revision: 2, cooldown: "1d" }));
    expect(h.price(tick("PRND_OXIDE", 453000, "2025-03-01T02:00:00Z"))).toEqual([]);
    expect(alertsOf(h.price(tick("PRND_OXIDE", 453000, "2025-03-02T00:00:00Z")))).toHaveLength(1);
  });

  it("keeps a once rule finished while the edit keeps once, and revives it when once is dropped", () => {
    const h = new Harness().upsert(above(450000, { once: true }));
    h.price(tick("PRND_OXIDE", 451000, "2025-03-01"));
    h.upsert(above(450000, { once: true, revision: 2, note: "still once" }));
    expect(h.state("prndedit")).toMatchObject({ status: "finished", finishedReason: "once" });
    h.upsert(above(450000, { once: false, revision: 3 }));
    expect(h.state("prndedit")?.status).toBe("disarmed");
    h.price(tick("PRND_OXIDE", 440000, "2025-03-02"));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-03-03")))).toHaveLength(1);
  });

  it("keeps an expired rule finished unless the edit moves expiresAt later", () => {
    const h = new Harness().upsert(above(450000, { expiresAt: "2025-03-01T00:00:00Z" }));
    expect(h.clock("2025-03-01T00:00:00Z").map((d) => d.kind)).toEqual(["rule_finished"]);
    h.upsert(above(450000, { revision: 2, expiresAt: "2025-02-28T00:00:00Z" }));
    expect(h.state("prndedit")).toMatchObject({ status: "finished", finishedReason: "expired" });
    h.upsert(above(450000, { revision: 3, expiresAt: "2025-04-01T00:00:00Z" }));
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-03-02")))).toHaveLength(1);
  });

  it("fires an expired rule's edit at its new threshold only, not at the one it expired with", () => {
    // a rule that stays keeps the ladder (an emptied ladder is dropped with its entries)
    const h = new Harness().upsert(above(450000, { expiresAt: "2025-03-02T00:00:00Z" }), keeper);
    h.price(tick("PRND_OXIDE", 440000, "2025-03-01"));
    expect(h.price(tick("PRND_OXIDE", 441000, "2025-03-03")).map((d) => d.kind)).toEqual(["rule_finished"]);
    h.upsert(above(460000, { revision: 2, expiresAt: "2025-04-01T00:00:00Z" }));
    expect(h.price(tick("PRND_OXIDE", 455000, "2025-03-04"))).toEqual([]);
    const t = tick("PRND_OXIDE", 461000, "2025-03-05");
    expect(alertsOf(h.price(t)).map((a) => a.id)).toEqual([`r_prndedit:2:${t.seq}`]);
  });

  it("neither fires nor re-arms an expired rule when the price passes its threshold or re-arm level", () => {
    const h = new Harness().upsert(above(450000, { expiresAt: "2025-03-04T00:00:00Z" }), keeper);
    expect(alertsOf(h.price(tick("PRND_OXIDE", 451000, "2025-03-01")))).toHaveLength(1);
    expect(h.clock("2025-03-04T00:00:00Z").map((d) => d.kind)).toEqual(["rule_finished"]);
    expect(h.price(tick("PRND_OXIDE", 430000, "2025-03-05"))).toEqual([]);
    expect(h.price(tick("PRND_OXIDE", 452000, "2025-03-06"))).toEqual([]);
    expect(h.state("prndedit")).toMatchObject({ status: "finished", finishedReason: "expired", firedCount: 1 });
  });

  it("gives a removed expired rule's place to a new rule that fires at its own threshold only", () => {
    const h = new Harness().upsert(
      rule("prndold1", "PRND_OXIDE", { type: "above", value: 450000 }, { expiresAt: "2025-03-02T00:00:00Z" }),
      keeper,
    );
    h.price(tick("PRND_OXIDE", 440000, "2025-03-01"));
    expect(h.clock("2025-03-02T00:00:00Z").map((d) => d.kind)).toEqual(["rule_finished"]);
    h.remove("r_prndold1").upsert(rule("prndnew1", "PRND_OXIDE", { type: "above", value: 470000 }));
    expect(h.price(tick("PRND_OXIDE", 455000, "2025-03-03"))).toEqual([]);
    const t = tick("PRND_OXIDE", 471000, "2025-03-04");
    expect(alertsOf(h.price(t)).map((a) => a.id)).toEqual([`r_prndnew1:1:${t.seq}`]);
  });

  it("does not fire a stale rule twice for the same gap after an edit", () => {
    const h = new Harness().upsert(rule("staleedt", "DY_OXIDE", { type: "stale", after: "1h" }));
    h.price(tick("DY_OXIDE", 1710, "2025-02-28T10:00:00Z"));
    expect(alertsOf(h.clock("2025-02-28T11:00:00Z"))).toHaveLength(1);
    h.upsert(rule("staleedt", "DY_OXIDE", { type: "stale", after: "30m" }, { revision: 2 }));
    expect(h.clock("2025-02-28T12:00:00Z")).toEqual([]);
  });

  it("edits and removals mid-stream agree with a restart from the snapshot", () => {
    const h = new Harness().upsert(
      above(450000),
      rule("prnd5pct", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" }),
    );
    h.price(tick("PRND_OXIDE", 415000, "2025-01-27"));
    h.restart();
    h.upsert(above(440000, { revision: 2 }));
    const ds = h.price(tick("PRND_OXIDE", 444000, "2025-02-28"));
    expect(alertsOf(ds).map((a) => a.ruleId)).toEqual(["r_prnd5pct", "r_prndedit"]);
    h.remove("r_prnd5pct").restart();
    expect(h.price(tick("PRND_OXIDE", 500000, "2025-03-28"))).toEqual([]);
  });
});
