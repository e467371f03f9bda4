import { AlertSchema } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { previewRule } from "./preview.js";
import { OPTS, rule, tick } from "./test-support/fixtures.js";

describe("previewRule", () => {
  it("tells when a rule would have fired on stored history: the SMM worked example", () => {
    const r = rule("preview1", "PRND_OXIDE", { type: "change", direction: "up", pct: 5, window: "30d" });
    const history = [
      tick("PRND_OXIDE", 415000, "2025-01-27"),
      tick("PRND_OXIDE", 430000, "2025-02-10"),
      tick("PRND_OXIDE", 444000, "2025-02-28"),
    ];
    const alerts = previewRule(r, history, OPTS);
    expect(alerts.map((a) => [a.firedAt, a.title])).toEqual([["2025-02-28T00:00:00Z", "PRND_OXIDE up 6.99% in 30d"]]);
    for (const a of alerts) AlertSchema.parse(a);
  });

  it("fires a stale rule at the moment a gap in history reached its after", () => {
    const r = rule("preview2", "DY_OXIDE", { type: "stale", after: "2d" });
    const history = [
      tick("DY_OXIDE", 1665, "2025-01-27"),
      tick("DY_OXIDE", 1670, "2025-01-28"),
      tick("DY_OXIDE", 1710, "2025-02-03"),
    ];
    expect(previewRule(r, history, OPTS).map((a) => a.firedAt)).toEqual(["2025-01-30T00:00:00.000Z"]);
    expect(previewRule(r, history, { ...OPTS, untilMs: Date.parse("2025-02-10") }).map((a) => a.firedAt)).toEqual([
      "2025-01-30T00:00:00.000Z",
      "2025-02-05T00:00:00.000Z",
    ]);
  });

  it("uses FX prices in the history for a rule in another currency, and previews a disabled rule as if enabled", () => {
    const r = rule("preview3", "PRND_OXIDE", { type: "above", value: 62 }, { unit: "USD/kg", enabled: false });
    const history = [
      tick("USDCNY", 7.2, "2025-02-24"),
      tick("PRND_OXIDE", 444000, "2025-02-24"),
      tick("PRND_OXIDE", 451000, "2025-02-25"),
    ];
    expect(previewRule(r, history, OPTS).map((a) => a.fx?.rate)).toEqual([7.2]);
  });
});
