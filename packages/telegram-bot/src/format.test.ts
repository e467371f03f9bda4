import type { Rule } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { describeCondition, formatTime, ruleLine, splitMessage } from "./format.js";

const rule: Rule = {
  id: "r_8Zk2mQ4xT1aB9cD0",
  userId: "u_8Zk2mQ4xT1aB9cD0",
  revision: 1,
  instrument: "PRND_OXIDE",
  condition: { type: "above", value: 450000 },
  unit: "CNY/t",
  once: false,
  expiresAt: null,
  channels: ["telegram"],
  enabled: true,
  createdAt: "2025-02-01T00:00:00Z",
  updatedAt: "2025-02-01T00:00:00Z",
};

describe("describeCondition", () => {
  it("writes levels with grouped digits and the unit", () => {
    expect(describeCondition({ type: "cross_down", value: 1234.5 }, "CNY/kg")).toBe("cross_down 1,234.5 CNY/kg");
  });

  it("writes changes with their size and window", () => {
    expect(describeCondition({ type: "change", direction: "up", pct: 5, window: "30d" }, "CNY/kg")).toBe(
      "up 5% in 30d",
    );
    expect(describeCondition({ type: "change", direction: "any", abs: 20000, window: { obs: 3 } }, "CNY/t")).toBe(
      "any 20,000 CNY/t in 3 prices",
    );
    expect(describeCondition({ type: "stale", after: "2d" }, "CNY/t")).toBe("no price for 2d");
  });
});

describe("ruleLine", () => {
  it("shows id, instrument and condition", () => {
    expect(ruleLine(rule)).toBe("r_8Zk2mQ4xT1aB9cD0  PRND_OXIDE above 450,000 CNY/t");
  });

  it("says when a rule is paused, fires once, cools down or has a note", () => {
    expect(ruleLine({ ...rule, enabled: false, once: true, cooldown: "1h", note: "NdPr" })).toBe(
      "r_8Zk2mQ4xT1aB9cD0  PRND_OXIDE above 450,000 CNY/t (paused, once, cooldown 1h, “NdPr”)",
    );
  });
});

describe("formatTime", () => {
  it("writes the time in the given timezone", () => {
    expect(formatTime("2025-02-28T00:00:00Z", "Asia/Shanghai")).toBe("2025-02-28 08:00 Asia/Shanghai");
    expect(formatTime("2025-02-28T23:30:00Z", "UTC")).toBe("2025-02-28 23:30 UTC");
  });

  it("falls back to UTC for an unknown timezone", () => {
    expect(formatTime("2025-02-28T00:00:00Z", "Mars/Olympus")).toBe("2025-02-28 00:00 UTC");
  });
});

describe("splitMessage", () => {
  it("keeps short text whole", () => {
    expect(splitMessage("a\nb")).toEqual(["a\nb"]);
  });

  it("splits at line breaks so no part exceeds the limit", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${"x".repeat(20)}`);
    const parts = splitMessage(lines.join("\n"), 70);
    expect(parts.every((p) => p.length <= 70)).toBe(true);
    expect(parts.join("\n")).toBe(lines.join("\n"));
  });

  it("cuts a single line longer than the limit", () => {
    const parts = splitMessage("y".repeat(25), 10);
    expect(parts).toEqual(["y".repeat(10), "y".repeat(10), "y".repeat(5)]);
  });
});
