import { describe, expect, it } from "vitest";
import { parseButtonData } from "../alert-buttons.js";
import { parseMute, parsePriceArgs, parseQuiet, parseRuleId } from "./args-parser.js";
import { parseAmount } from "./parsed.js";

const errorOf = (r: { ok: boolean; error?: string }): string => (r.ok ? "(parsed)" : (r.error ?? ""));

describe("parseRuleId", () => {
  it("accepts a rule id", () => {
    expect(parseRuleId(" r_8Zk2mQ4xT1aB9cD0 ", "pause")).toEqual({ ok: true, value: "r_8Zk2mQ4xT1aB9cD0" });
  });

  it("asks for an id with an example of the same command", () => {
    expect(errorOf(parseRuleId("", "delete"))).toContain("/delete r_");
    expect(errorOf(parseRuleId("", "delete"))).toContain("/list");
  });

  it("rejects something that is not a rule id, or several ids", () => {
    expect(errorOf(parseRuleId("42", "pause"))).toContain('"42" is not a rule id');
    expect(errorOf(parseRuleId("r_8Zk2mQ4xT1aB9cD0 r_8Zk2mQ4xT1aB9cD1", "pause"))).toContain("one rule at a time");
  });
});

describe("parsePriceArgs", () => {
  it("upper-cases the instrument", () => {
    expect(parsePriceArgs("prnd_oxide")).toEqual({ ok: true, value: "PRND_OXIDE" });
  });

  it("explains a missing, malformed or doubled instrument", () => {
    expect(errorOf(parsePriceArgs(""))).toContain("/price PRND_OXIDE");
    expect(errorOf(parsePriceArgs("600111.SH"))).toContain("not an instrument id");
    expect(errorOf(parsePriceArgs("PRND_OXIDE TB_OXIDE"))).toContain("one instrument at a time");
  });
});

describe("parseQuiet", () => {
  it.each([
    ["22:00-07:00", { start: "22:00", end: "07:00" }],
    ["22:00 - 7:00", { start: "22:00", end: "07:00" }],
    ["22:00–07:30", { start: "22:00", end: "07:30" }],
    ["12:30 13:45", { start: "12:30", end: "13:45" }],
  ])("reads %s", (text, quiet) => {
    expect(parseQuiet(text)).toEqual({ ok: true, value: quiet });
  });

  it("reads off as no quiet hours", () => {
    expect(parseQuiet("off")).toEqual({ ok: true, value: null });
    expect(parseQuiet("OFF")).toEqual({ ok: true, value: null });
  });

  it("rejects impossible times with the schema's explanation and an example", () => {
    const e = errorOf(parseQuiet("25:00-07:00"));
    expect(e).toContain('a time of day as "HH:MM"');
    expect(e).toContain("/quiet 22:00-07:00");
  });

  it("rejects malformed ranges and empty windows", () => {
    expect(errorOf(parseQuiet("tonight"))).toContain("not a time range");
    expect(errorOf(parseQuiet(""))).toContain("/quiet 22:00-07:00");
    expect(errorOf(parseQuiet("22:00-22:00"))).toContain("the same time");
  });
});

describe("parseMute", () => {
  it("reads a duration and how long it is", () => {
    expect(parseMute("2h")).toEqual({ ok: true, value: { duration: "2h", ms: 7_200_000 } });
    expect(parseMute("1D")).toEqual({ ok: true, value: { duration: "1d", ms: 86_400_000 } });
  });

  it("reads off as unmute", () => {
    expect(parseMute("off")).toEqual({ ok: true, value: null });
  });

  it("keeps mutes between a minute and 30 days", () => {
    expect(errorOf(parseMute("30s"))).toContain("at least a minute");
    expect(errorOf(parseMute("31d"))).toContain("at most 30 days");
    expect(parseMute("30d").ok).toBe(true);
  });

  it("explains malformed durations with an example", () => {
    expect(errorOf(parseMute("2 hours"))).toContain("/mute 2h");
    expect(errorOf(parseMute("soon"))).toContain('"soon" is not a duration');
    expect(errorOf(parseMute(""))).toContain("/mute 2h");
  });
});

describe("parseAmount", () => {
  it("rejects what is not a positive number", () => {
    for (const s of ["", "abc", "1,00", "1e5", "-3", "0", "0.0", "12,34,567", "Infinity"]) {
      expect(parseAmount(s), s).toBeUndefined();
    }
  });
});

describe("parseButtonData", () => {
  it("reads pause and delete buttons", () => {
    expect(parseButtonData("pause:r_8Zk2mQ4xT1aB9cD0")).toEqual({ action: "pause", ruleId: "r_8Zk2mQ4xT1aB9cD0" });
    expect(parseButtonData("delete:r_8Zk2mQ4xT1aB9cD0")).toEqual({ action: "delete", ruleId: "r_8Zk2mQ4xT1aB9cD0" });
  });

  it("ignores unknown actions and malformed rule ids", () => {
    expect(parseButtonData("explode:r_8Zk2mQ4xT1aB9cD0")).toBeUndefined();
    expect(parseButtonData("pause:users.*")).toBeUndefined();
    expect(parseButtonData("pause:")).toBeUndefined();
  });
});
