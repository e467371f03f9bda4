import { describe, expect, it } from "vitest";
import { deliveryKey } from "./alert.js";
import { AlertsQuerySchema, RulePreviewRequestSchema } from "./api-bodies.js";

describe("delivery keys", () => {
  it("turn the alert id's colons into dots, then add the channel id", () => {
    expect(deliveryKey("r_8Zk2abcd:3:1042", "c_Q1w2e3r4")).toBe("r_8Zk2abcd.3.1042.c_Q1w2e3r4");
  });
});

describe("rule preview request", () => {
  const rule = { instrument: "PRND_OXIDE", condition: { type: "above", value: 450000 } };

  it("is a rule body with an optional range", () => {
    const parsed = RulePreviewRequestSchema.parse({ ...rule, from: "2025-01-01T00:00:00Z" });
    expect(parsed).toMatchObject({
      ...rule,
      from: "2025-01-01T00:00:00Z",
      once: false,
      channels: ["email", "telegram"],
    });
  });

  it("refuses a range that ends before it starts, and unknown fields", () => {
    const backwards = RulePreviewRequestSchema.safeParse({
      ...rule,
      from: "2025-02-01T00:00:00Z",
      to: "2025-01-01T00:00:00Z",
    });
    expect(backwards.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["to", "to must not be before from"],
    ]);
    expect(RulePreviewRequestSchema.safeParse({ ...rule, window: "30d" }).success).toBe(false);
  });
});

describe("alerts query", () => {
  it("defaults to the 50 newest and caps the page at 500", () => {
    expect(AlertsQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(AlertsQuerySchema.parse({ limit: "500" })).toEqual({ limit: 500 });
    expect(AlertsQuerySchema.safeParse({ limit: "501" }).success).toBe(false);
  });
});
