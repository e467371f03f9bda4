import { describe, expect, it } from "vitest";
import { alertActionButtons, alertActionData, parseAlertActionData } from "./alert-actions.js";
import { channelMutedUntil } from "./channel-mute.js";
import { HeldEntrySchema, digestKey, heldAlertKey } from "./held.js";

describe("alert action buttons", () => {
  it("are Pause then Delete for the rule, with data the parser reads back", () => {
    const buttons = alertActionButtons("r_8Zk2mQ4xT1aB9cD0");
    expect(buttons).toEqual([
      [
        { text: "Pause rule", callbackData: "pause:r_8Zk2mQ4xT1aB9cD0" },
        { text: "Delete rule", callbackData: "delete:r_8Zk2mQ4xT1aB9cD0" },
      ],
    ]);
    for (const b of buttons.flat()) expect(new TextEncoder().encode(b.callbackData).length).toBeLessThanOrEqual(64);
    expect(buttons.flat().map((b) => parseAlertActionData(b.callbackData))).toEqual([
      { action: "pause", ruleId: "r_8Zk2mQ4xT1aB9cD0" },
      { action: "delete", ruleId: "r_8Zk2mQ4xT1aB9cD0" },
    ]);
  });

  it("ignore unknown actions and malformed rule ids", () => {
    expect(alertActionData("pause", "r_8Zk2mQ4x")).toBe("pause:r_8Zk2mQ4x");
    for (const data of ["explode:r_8Zk2mQ4xT1aB9cD0", "pause:users.*", "pause:", "pause", "Pause:r_8Zk2mQ4x"]) {
      expect(parseAlertActionData(data), data).toBeUndefined();
    }
  });
});

describe("channel mutes", () => {
  const now = Date.parse("2025-03-11T08:00:00Z");

  it("last until their end time and no longer", () => {
    expect(channelMutedUntil({ mutedUntil: "2025-03-11T10:00:00.000Z" }, now)).toBe("2025-03-11T10:00:00.000Z");
    expect(channelMutedUntil({ mutedUntil: "2025-03-11T08:00:00.000Z" }, now)).toBeUndefined();
    expect(channelMutedUntil({}, now)).toBeUndefined();
  });
});

describe("held alerts", () => {
  it("share one prefix per user and channel, apart from the digest record", () => {
    expect(heldAlertKey("u_Buyer0001", "c_Chat0001", "r_8Zk2abcd:3:1042")).toBe(
      "u_Buyer0001.c_Chat0001.r_8Zk2abcd.3.1042",
    );
    expect(digestKey("u_Buyer0001", "c_Chat0001")).toBe("u_Buyer0001.c_Chat0001.digest");
  });

  it("refuse a digest record that carries no alert", () => {
    const parsed = HeldEntrySchema.safeParse({
      kind: "digest",
      id: "d1",
      userId: "u_Buyer0001",
      channelId: "c_Chat0001",
      state: "sending",
      alertIds: [],
      attempts: 1,
      startedAt: "2025-03-11T23:00:00Z",
    });
    expect(parsed.success).toBe(false);
  });
});
