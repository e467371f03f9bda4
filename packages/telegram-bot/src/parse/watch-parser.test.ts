import { describe, expect, it } from "vitest";
import { WATCH_EXAMPLES, normaliseUnit, parseWatch } from "./watch-parser.js";

function body(text: string) {
  const r = parseWatch(text);
  if (!r.ok) throw new Error(`expected "${text}" to parse, got: ${r.error}`);
  return r.value;
}
function error(text: string): string {
  const r = parseWatch(text);
  if (r.ok) throw new Error(`expected "${text}" to be rejected, got ${JSON.stringify(r.value)}`);
  return r.error;
}

describe("parseWatch: level and cross conditions", () => {
  it("reads the issue's threshold example with the API's defaults", () => {
    expect(body("PRND_OXIDE above 450000")).toEqual({
      instrument: "PRND_OXIDE",
      condition: { type: "above", value: 450000 },
      once: false,
      expiresAt: null,
      channels: ["email", "telegram"],
    });
  });

  it.each([
    ["DY_OXIDE below 1600", "below", 1600],
    ["PRND_OXIDE cross_up 460000", "cross_up", 460000],
    ["PRND_OXIDE cross-down 400000", "cross_down", 400000],
    ["PRND_OXIDE crossup 460000", "cross_up", 460000],
    ["PRND_OXIDE over 450000", "above", 450000],
    ["PRND_OXIDE under 400000", "below", 400000],
    ["PRND_OXIDE > 450000", "above", 450000],
    ["PRND_OXIDE ABOVE 450000", "above", 450000],
  ])("%s", (text, type, value) => {
    expect(body(text).condition).toEqual({ type, value });
  });

  it.each([
    ["450,000", 450000],
    ["450_000", 450000],
    ["450k", 450000],
    ["1.5m", 1500000],
    ["37.12", 37.12],
  ])("reads the price %s as %d", (written, value) => {
    expect(body(`PRND_OXIDE above ${written}`).condition).toEqual({ type: "above", value });
  });

  it("upper-cases the instrument id", () => {
    expect(body("prnd_oxide above 450000").instrument).toBe("PRND_OXIDE");
  });

  it("takes a threshold unit after the price and normalises its case", () => {
    expect(body("PRND_OXIDE cross_up 60 usd/kg").unit).toBe("USD/kg");
    expect(body("SZ300748 above 40 CNY/share").unit).toBe("CNY/share");
  });

  it("explains a missing or malformed price", () => {
    expect(error("PRND_OXIDE above")).toContain("/watch PRND_OXIDE above 450000");
    expect(error("PRND_OXIDE above lots")).toContain('"lots" is not a price');
    expect(error("PRND_OXIDE above 0")).toContain('"0" is not a price');
    expect(error("PRND_OXIDE above -5")).toContain('"-5" is not a price');
  });
});

describe("parseWatch: rolling changes", () => {
  it("reads the terbium example: up 5% in 30 days", () => {
    expect(body("TB_OXIDE up 5% 30d").condition).toEqual({ type: "change", direction: "up", pct: 5, window: "30d" });
  });

  it("reads the JL MAG example: down 4% in 15 minutes", () => {
    expect(body("SZ300748 down 4% 15m").condition).toEqual({
      type: "change",
      direction: "down",
      pct: 4,
      window: "15m",
    });
  });

  it("reads an absolute change in the quote's unit when there is no percent sign", () => {
    expect(body("PRND_OXIDE any 20,000 7d").condition).toEqual({
      type: "change",
      direction: "any",
      abs: 20000,
      window: "7d",
    });
  });

  it("accepts a detached percent sign and an upper-case window", () => {
    expect(body("TB_OXIDE up 5 % 30D").condition).toEqual({ type: "change", direction: "up", pct: 5, window: "30d" });
  });

  it("reads windows counted in observations", () => {
    expect(body("TB_OXIDE up 5% 10obs").condition).toMatchObject({ window: { obs: 10 } });
    expect(body("TB_OXIDE up 5% 3 obs").condition).toMatchObject({ window: { obs: 3 } });
  });

  it("explains a missing amount or window with an example", () => {
    expect(error("TB_OXIDE up")).toContain("/watch TB_OXIDE up 5% 30d");
    expect(error("TB_OXIDE up 5%")).toContain("over what window?");
    expect(error("TB_OXIDE up 5% 30x")).toContain('"30x" is not a window');
    expect(error("TB_OXIDE down much 30d")).toContain('"much" is not a change');
  });
});

describe("parseWatch: stale feeds and options", () => {
  it("reads a stale rule", () => {
    expect(body("PRND_OXIDE stale 2d").condition).toEqual({ type: "stale", after: "2d" });
    expect(error("PRND_OXIDE stale")).toContain("how long without a price is missing");
    expect(error("PRND_OXIDE stale soon")).toContain('"soon" is not a duration');
  });

  it("reads once, cooldown, rearm and a note in any order", () => {
    const b = body("PRND_OXIDE above 450000 cooldown 1h once rearm 1% note NdPr   breakout watch");
    expect(b).toMatchObject({ once: true, cooldown: "1h", rearm: { pct: 1 }, note: "NdPr breakout watch" });
    expect(body("PRND_OXIDE below 400k rearm 5000").rearm).toEqual({ abs: 5000 });
  });

  it("rejects what it does not understand after the condition", () => {
    expect(error("PRND_OXIDE above 450000 please")).toContain(`"please"`);
    expect(error("PRND_OXIDE above 450000 cooldown")).toContain("cooldown is missing");
    expect(error("PRND_OXIDE above 450000 cooldown soon")).toContain('"soon" is not a duration');
    expect(error("PRND_OXIDE above 450000 rearm x")).toContain('"x" is not a rearm band');
    expect(error("PRND_OXIDE above 450000 note")).toContain("note what?");
  });

  it("rejects a note longer than the API allows, naming the field", () => {
    expect(error(`PRND_OXIDE above 450000 note ${"x".repeat(501)}`)).toMatch(/^note: /);
  });
});

describe("parseWatch: what to watch", () => {
  it("asks for something to watch when there are no arguments", () => {
    expect(error("   ")).toBe("tell me what to watch");
  });

  it("rejects a malformed instrument id", () => {
    expect(error("300748.SZ above 40")).toContain('"300748.SZ" is not an instrument id');
  });

  it("asks for a condition and names the valid ones", () => {
    expect(error("PRND_OXIDE")).toContain("above, below, cross_up, cross_down, up, down, any or stale");
    expect(error("PRND_OXIDE soars 5%")).toContain('"soars" is not a condition');
  });

  it("parses every example it shows to users", () => {
    for (const example of WATCH_EXAMPLES) expect(parseWatch(example.replace(/^\/watch /, "")).ok).toBe(true);
  });
});

describe("normaliseUnit", () => {
  it("upper-cases currencies and lower-cases measures", () => {
    expect(normaliseUnit("cny/t")).toBe("CNY/t");
    expect(normaliseUnit("Usd/KG")).toBe("USD/kg");
    expect(normaliseUnit("cny/usd")).toBe("CNY/USD");
    expect(normaliseUnit("450000")).toBeUndefined();
  });
});
