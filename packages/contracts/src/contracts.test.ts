import { describe, expect, it } from "vitest";
import { durationMs } from "./duration.js";
import { CreateInstrumentSchema, INSTRUMENT_CATALOGUE, INSTRUMENT_ID_PATTERN } from "./instruments.js";
import { PriceMessageSchema, checkPrice, priceMsgId } from "./price.js";
import { RuleBodySchema } from "./rule.js";
import { fxPairFor, parseUnit, unitsCompatible } from "./units.js";

describe("instrument catalogue", () => {
  it("ships every instrument of the design with a valid id and unit", () => {
    const ids = INSTRUMENT_CATALOGUE.map((i) => i.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "PRND_OXIDE",
        "PRND_ALLOY",
        "DY_OXIDE",
        "TB_OXIDE",
        "ND_OXIDE",
        "PR_OXIDE",
        "Y_OXIDE",
        "SH600111",
        "SH600010",
        "SH600259",
        "SH600549",
        "SZ300748",
        "SZ300224",
        "SZ000831",
        "SZ300066",
        "HK00769",
        "HK06680",
        "USDCNY",
        "USDHKD",
      ]),
    );
    for (const i of INSTRUMENT_CATALOGUE) expect(i.id).toMatch(INSTRUMENT_ID_PATTERN);
    expect(INSTRUMENT_CATALOGUE.find((i) => i.id === "TB_OXIDE")?.unit).toBe("CNY/kg");
    expect(INSTRUMENT_CATALOGUE.find((i) => i.id === "HK00769")?.unit).toBe("HKD/share");
  });

  it("takes a new instrument's timezone only as an IANA zone, Asia/Shanghai when absent", () => {
    const base = { id: "CE_OXIDE", name: "Cerium oxide", unit: "CNY/t", kind: "rare_earth", market: "SMM" };
    expect(CreateInstrumentSchema.parse(base).timezone).toBe("Asia/Shanghai");
    for (const i of INSTRUMENT_CATALOGUE) expect(CreateInstrumentSchema.safeParse(i).success).toBe(true);
    const bad = CreateInstrumentSchema.safeParse({ ...base, timezone: "Asia/Shangai" });
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["timezone", "an IANA timezone such as Asia/Shanghai or Europe/Berlin"],
    ]);
  });
});

describe("units", () => {
  it("parses mass, share and FX units and rejects the rest", () => {
    expect(parseUnit("CNY/t")).toEqual({ currency: "CNY", measure: "t", kind: "mass", kgPerMeasure: 1000 });
    expect(parseUnit("USD/lb").kgPerMeasure).toBeCloseTo(0.45359237);
    expect(parseUnit("CNY/USD").kind).toBe("currency");
    expect(() => parseUnit("yuan/ton")).toThrow('malformed unit "yuan/ton"');
  });

  it("converts between mass units in any currency, never between mass and shares", () => {
    expect(unitsCompatible("CNY/t", "USD/kg")).toBe(true);
    expect(unitsCompatible("CNY/kg", "USD/lb")).toBe(true);
    expect(unitsCompatible("CNY/t", "CNY/share")).toBe(false);
    expect(unitsCompatible("HKD/share", "CNY/share")).toBe(false);
  });

  it("finds the USD-based FX instrument and its direction", () => {
    expect(fxPairFor("USD", "CNY")).toEqual({ instrument: "USDCNY", invert: false });
    expect(fxPairFor("CNY", "USD")).toEqual({ instrument: "USDCNY", invert: true });
    expect(fxPairFor("CNY", "CNY")).toBeUndefined();
  });
});

describe("durations", () => {
  it("reads 15m, 4h, 30d and 2w", () => {
    expect(durationMs("15m")).toBe(900_000);
    expect(durationMs("4h")).toBe(14_400_000);
    expect(durationMs("30d")).toBe(2_592_000_000);
    expect(durationMs("2w")).toBe(1_209_600_000);
    expect(() => durationMs("30 days")).toThrow();
  });
});

describe("prices", () => {
  const p = { instrument: "PRND_OXIDE", price: 444000, unit: "CNY/t", ts: "2025-02-28T00:00:00Z", source: "smm" };
  const units = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i.unit]));
  const ctx = { unitOf: (id: string) => units.get(id), nowMs: Date.parse("2025-03-11T00:00:00Z") };

  it("dedupes by source, instrument and observation time", () => {
    expect(priceMsgId(p)).toBe("smm:PRND_OXIDE:2025-02-28T00:00:00Z");
  });

  it("gives one instant one id however its ts is written: UTC, milliseconds only when not zero", () => {
    for (const ts of [
      "2025-02-28T00:00:00Z",
      "2025-02-28T00:00:00.000Z",
      "2025-02-28T00:00:00.0Z",
      "2025-02-28T08:00:00+08:00",
      "2025-02-27T19:00:00.000-05:00",
    ])
      expect(priceMsgId({ ...p, ts })).toBe("smm:PRND_OXIDE:2025-02-28T00:00:00Z");
    expect(priceMsgId({ ...p, ts: "2025-02-28T08:00:00.5+08:00" })).toBe("smm:PRND_OXIDE:2025-02-28T00:00:00.500Z");
    expect(priceMsgId({ ...p, ts: "2025-02-28T00:00:00.120Z" })).toBe("smm:PRND_OXIDE:2025-02-28T00:00:00.120Z");
  });

  it("keeps a ts finer than a millisecond as sent, so that two such observations stay apart", () => {
    const a = priceMsgId({ ...p, ts: "2025-02-28T00:00:00.0001Z" });
    const b = priceMsgId({ ...p, ts: "2025-02-28T00:00:00.0002Z" });
    expect([a, b]).toEqual(["smm:PRND_OXIDE:2025-02-28T00:00:00.0001Z", "smm:PRND_OXIDE:2025-02-28T00:00:00.0002Z"]);
  });

  it("rejects non-positive, non-finite and non-numeric prices and unknown fields", () => {
    for (const price of [0, -1, Infinity, "444000", null])
      expect(PriceMessageSchema.safeParse({ ...p, price }).success).toBe(false);
    expect(PriceMessageSchema.safeParse({ ...p, extra: 1 }).success).toBe(false);
    expect(PriceMessageSchema.safeParse({ ...p, ts: "2025-02-28" }).success).toBe(false);
  });

  it("checks the catalogue, the unit and the time window", () => {
    expect(checkPrice(p, ctx)).toBeUndefined();
    expect(checkPrice({ ...p, instrument: "NDFEB" }, ctx)?.code).toBe("UNKNOWN_INSTRUMENT");
    expect(checkPrice({ ...p, unit: "CNY/kg" }, ctx)?.message).toBe("PRND_OXIDE is quoted in CNY/t, not CNY/kg");
    expect(checkPrice({ ...p, ts: "2025-03-11T00:04:59Z" }, ctx)).toBeUndefined();
    expect(checkPrice({ ...p, ts: "2025-03-11T00:05:01Z" }, ctx)?.code).toBe("FUTURE_TIMESTAMP");
    expect(checkPrice({ ...p, ts: "2024-01-01T00:00:00Z" }, ctx)?.code).toBe("TOO_OLD");
    expect(checkPrice({ ...p, ts: "2024-01-01T00:00:00Z" }, { ...ctx, horizonDays: 4000 })).toBeUndefined();
  });
});

describe("rule bodies", () => {
  it("fills the documented defaults", () => {
    const r = RuleBodySchema.parse({ instrument: "PRND_OXIDE", condition: { type: "above", value: 450000 } });
    expect(r).toEqual({
      instrument: "PRND_OXIDE",
      condition: { type: "above", value: 450000 },
      once: false,
      expiresAt: null,
      channels: ["email", "telegram"],
    });
  });

  it("accepts the change rule of the worked example and windows in observations", () => {
    expect(
      RuleBodySchema.safeParse({
        instrument: "PRND_OXIDE",
        condition: { type: "change", direction: "up", pct: 5, window: "30d" },
      }).success,
    ).toBe(true);
    expect(
      RuleBodySchema.safeParse({
        instrument: "SZ300748",
        condition: { type: "change", direction: "down", pct: 4, window: { obs: 3 } },
      }).success,
    ).toBe(true);
  });

  it("needs exactly one of pct and abs on a change rule", () => {
    const both = RuleBodySchema.safeParse({
      instrument: "TB_OXIDE",
      condition: { type: "change", direction: "up", pct: 5, abs: 300, window: "30d" },
    });
    const none = RuleBodySchema.safeParse({
      instrument: "TB_OXIDE",
      condition: { type: "change", direction: "up", window: "30d" },
    });
    expect(both.success).toBe(false);
    expect(none.success).toBe(false);
  });

  it("refuses an unknown condition type and a negative threshold", () => {
    expect(RuleBodySchema.safeParse({ instrument: "TB_OXIDE", condition: { type: "between", value: 1 } }).success).toBe(
      false,
    );
    expect(RuleBodySchema.safeParse({ instrument: "TB_OXIDE", condition: { type: "above", value: -1 } }).success).toBe(
      false,
    );
  });
});
