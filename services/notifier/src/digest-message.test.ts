import { describe, expect, it } from "vitest";
import { digestMessage } from "./digest-message.js";

const NIGHT = { start: "22:00", end: "07:00" };

describe("digest message", () => {
  const alert = (title: string, text: string) =>
    ({ title, text }) as unknown as Parameters<typeof digestMessage>[0][number];

  it("counts the alerts, names the window, and lists each title with the first line of its text", () => {
    const m = digestMessage(
      [
        alert("PRND_OXIDE above 450,000 CNY/t", "PRND_OXIDE 451,000 CNY/t\nthreshold 450,000 CNY/t"),
        alert("TB_OXIDE up 5% in 30d", "TB_OXIDE 7,200 CNY/kg, +6.1% in 30 days"),
      ],
      { quietHours: NIGHT, timezone: "Asia/Shanghai" },
      "digest-1",
    );
    expect(m.subject).toBe("2 alerts while quiet hours were on (22:00-07:00 Asia/Shanghai)");
    expect(m.text.split("\n")).toEqual([
      "• PRND_OXIDE above 450,000 CNY/t",
      "  PRND_OXIDE 451,000 CNY/t",
      "",
      "• TB_OXIDE up 5% in 30d",
      "  TB_OXIDE 7,200 CNY/kg, +6.1% in 30 days",
    ]);
    expect(m.buttons).toBeUndefined();
  });

  it("says one alert in the singular, and leaves the window out once quiet hours were removed", () => {
    const m = digestMessage([alert("DY_OXIDE below 1,600 CNY/kg", "DY_OXIDE 1,590 CNY/kg")], undefined, "d");
    expect(m.subject).toBe("1 alert while quiet hours were on");
  });
});
