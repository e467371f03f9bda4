import { describe, expect, it } from "vitest";
import { Harness, alertsOf, rule, tick } from "./test-support/fixtures.js";

describe("stale rules", () => {
  it("fires when no price has arrived for 26h, once per gap, and re-arms on the next price", () => {
    const h = new Harness().upsert(rule("stale26h", "PRND_OXIDE", { type: "stale", after: "26h" }));
    const t = tick("PRND_OXIDE", 444000, "2025-02-28");
    h.price(t);
    expect(h.clock("2025-03-01T01:59:59Z")).toEqual([]);
    const [a] = alertsOf(h.clock("2025-03-01T02:00:00Z"));
    expect(a).toMatchObject({
      id: `r_stale26h:1:stale:${t.seq}`,
      title: "PRND_OXIDE: no price for 26h",
      price: { value: 444000, unit: "CNY/t", ts: "2025-02-28T00:00:00Z", source: "smm", seq: 0 },
      firedAt: "2025-03-01T02:00:00.000Z",
    });
    expect(a?.text).toContain("No PRND_OXIDE price has arrived for 1d 2h (rule: stale after 26h).");
    expect(a?.text).toContain("Last price: 444,000 CNY/t at 2025-02-28T00:00:00Z from smm.");
    expect(h.clock("2025-03-01T09:00:00Z")).toEqual([]);
    expect(h.state("stale26h")?.status).toBe("disarmed");
    const next = tick("PRND_OXIDE", 445000, "2025-03-01T10:00:00Z");
    h.price(next);
    expect(h.state("stale26h")?.status).toBe("armed");
    expect(h.clock("2025-03-02T11:59:00Z")).toEqual([]);
    expect(alertsOf(h.clock("2025-03-02T12:00:00Z")).map((x) => x.id)).toEqual([`r_stale26h:1:stale:${next.seq}`]);
  });

  it("counts from the rule's creation when the instrument never had a price", () => {
    const h = new Harness().upsert(
      rule("stale1d0", "Y_OXIDE", { type: "stale", after: "1d" }, { note: "Baotou feed" }),
    );
    expect(h.clock("2025-01-01T23:59:59Z")).toEqual([]);
    const [a] = alertsOf(h.clock("2025-01-02T00:00:00Z"));
    expect(a).toMatchObject({
      id: "r_stale1d0:1:stale:0",
      price: { value: 0, seq: 0, source: "none", ts: "2025-01-01T00:00:00Z" },
      note: "Baotou feed",
    });
    expect(a?.text).toContain("No Y_OXIDE price has been received since the rule was created at 2025-01-01T00:00:00Z.");
  });

  it("an edit before the instrument's first price counts the new after from the rule's creation, and a removal stops it", () => {
    const h = new Harness()
      .upsert(rule("staleEdit", "Y_OXIDE", { type: "stale", after: "1d" }))
      .upsert(rule("staleGone", "Y_OXIDE", { type: "stale", after: "1d" }));
    h.upsert(rule("staleEdit", "Y_OXIDE", { type: "stale", after: "2d" }, { revision: 2 }));
    h.remove("r_staleGone");
    expect(h.clock("2025-01-02T12:00:00Z")).toEqual([]);
    expect(alertsOf(h.clock("2025-01-03T00:00:00Z")).map((a) => a.id)).toEqual(["r_staleEdit:2:stale:0"]);
  });

  it("a late or duplicate price does not end the gap", () => {
    const h = new Harness().upsert(rule("stale1h0", "DY_OXIDE", { type: "stale", after: "1h" }));
    const t = tick("DY_OXIDE", 1710, "2025-02-28T10:00:00Z");
    h.price(t);
    expect(alertsOf(h.clock("2025-02-28T11:00:00Z"))).toHaveLength(1);
    expect(h.price({ ...t, seq: t.seq + 1000 })).toEqual([]);
    expect(h.price(tick("DY_OXIDE", 1700, "2025-02-28T09:00:00Z"))).toEqual([]);
    expect(h.clock("2025-02-28T13:00:00Z")).toEqual([]);
    expect(h.state("stale1h0")?.status).toBe("disarmed");
  });

  it("a cooldown delays the next stale alert to its end, within the same gap", () => {
    const h = new Harness().upsert(rule("stalecd0", "DY_OXIDE", { type: "stale", after: "1h" }, { cooldown: "4h" }));
    h.price(tick("DY_OXIDE", 1710, "2025-02-28T10:00:00Z"));
    expect(alertsOf(h.clock("2025-02-28T11:00:00Z"))).toHaveLength(1);
    h.price(tick("DY_OXIDE", 1711, "2025-02-28T11:30:00Z"));
    expect(h.clock("2025-02-28T14:59:00Z")).toEqual([]);
    expect(alertsOf(h.clock("2025-02-28T15:00:00Z")).map((a) => a.firedAt)).toEqual(["2025-02-28T15:00:00.000Z"]);
  });

  it("a stale rule with once finishes after its alert", () => {
    const h = new Harness().upsert(rule("staleone", "DY_OXIDE", { type: "stale", after: "1h" }, { once: true }));
    h.price(tick("DY_OXIDE", 1710, "2025-02-28T10:00:00Z"));
    expect(h.clock("2025-02-28T12:00:00Z").map((d) => d.kind)).toEqual(["alert", "rule_finished"]);
    h.price(tick("DY_OXIDE", 1711, "2025-02-28T12:30:00Z"));
    expect(h.clock("2025-03-01T12:00:00Z")).toEqual([]);
  });

  it("a clock that goes back counts as the latest clock seen", () => {
    const h = new Harness().upsert(rule("stale1h0", "DY_OXIDE", { type: "stale", after: "1h" }));
    h.price(tick("DY_OXIDE", 1710, "2025-02-28T10:00:00Z"));
    expect(alertsOf(h.clock("2025-02-28T11:00:00Z"))).toHaveLength(1);
    h.price(tick("DY_OXIDE", 1711, "2025-02-28T10:30:00Z"));
    expect(alertsOf(h.clock("2025-02-28T09:00:00Z"))).toHaveLength(0);
    expect(alertsOf(h.clock("2025-02-28T11:30:00Z"))).toHaveLength(1);
  });
});
