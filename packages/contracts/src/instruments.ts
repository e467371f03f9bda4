/** Instrument ids, records and the catalogue that ships with the product. */
import { z } from "zod";
import { TimezoneSchema } from "./timezone.js";
import { UnitSchema } from "./units.js";

export const INSTRUMENT_ID_PATTERN = /^[A-Z][A-Z0-9_]{1,39}$/;
export const InstrumentIdSchema = z
  .string()
  .regex(INSTRUMENT_ID_PATTERN, "instrument ids are 2-40 characters: A-Z, 0-9 and _, starting with a letter");

export const InstrumentKindSchema = z.enum(["rare_earth", "equity", "fx"]);
export type InstrumentKind = z.infer<typeof InstrumentKindSchema>;

export const InstrumentSchema = z.strictObject({
  id: InstrumentIdSchema,
  name: z.string().min(1).max(200),
  unit: UnitSchema,
  kind: InstrumentKindSchema,
  /** market or price agency, e.g. "SMM", "Baotou exchange", "SSE" */
  market: z.string().min(1).max(100),
  /** IANA timezone of the market's trading day */
  timezone: z.string().min(1).max(64).default("Asia/Shanghai"),
});
export type Instrument = z.infer<typeof InstrumentSchema>;
export type InstrumentInput = z.input<typeof InstrumentSchema>;

/**
 * The body of `POST /v1/instruments`: an instrument whose timezone is an IANA zone.
 * Stored records keep the looser string, so that one written before this check stays readable.
 */
export const CreateInstrumentSchema = InstrumentSchema.extend({
  timezone: TimezoneSchema.default("Asia/Shanghai"),
});

const re = (id: string, name: string, unit: string, market: string): Instrument => ({
  id,
  name,
  unit,
  kind: "rare_earth",
  market,
  timezone: "Asia/Shanghai",
});
const eq = (id: string, name: string, unit: string, market: string, timezone = "Asia/Shanghai"): Instrument => ({
  id,
  name,
  unit,
  kind: "equity",
  market,
  timezone,
});

/** The instruments every installation starts with (DESIGN 4.2). */
export const INSTRUMENT_CATALOGUE: readonly Instrument[] = [
  re("PRND_OXIDE", "Praseodymium-neodymium oxide, SMM average", "CNY/t", "SMM"),
  re("PRND_ALLOY", "Praseodymium-neodymium alloy, SMM average", "CNY/t", "SMM"),
  re("DY_OXIDE", "Dysprosium oxide, SMM average", "CNY/kg", "SMM"),
  re("TB_OXIDE", "Terbium oxide, SMM average", "CNY/kg", "SMM"),
  re("ND_OXIDE", "Neodymium oxide, Baotou Rare Earth Exchange", "CNY/t", "Baotou exchange"),
  re("PR_OXIDE", "Praseodymium oxide, Baotou Rare Earth Exchange", "CNY/t", "Baotou exchange"),
  re("Y_OXIDE", "Yttrium oxide, Baotou Rare Earth Exchange", "CNY/t", "Baotou exchange"),
  eq("SH600111", "China Northern Rare Earth (600111.SH)", "CNY/share", "SSE"),
  eq("SH600010", "Baotou Iron & Steel (600010.SH)", "CNY/share", "SSE"),
  eq("SH600259", "Guangsheng Colored Metals (600259.SH)", "CNY/share", "SSE"),
  eq("SH600549", "Xiamen Tungsten (600549.SH)", "CNY/share", "SSE"),
  eq("SZ300748", "JL MAG Rare-Earth (300748.SZ)", "CNY/share", "SZSE"),
  eq("SZ300224", "Zhenghai Magnetics (300224.SZ)", "CNY/share", "SZSE"),
  eq("SZ000831", "China Rare Earth Resources (000831.SZ)", "CNY/share", "SZSE"),
  eq("SZ300066", "Sanchuan Wisdom (300066.SZ)", "CNY/share", "SZSE"),
  eq("HK00769", "China Rare Earth Holdings (00769.HK)", "HKD/share", "HKEX", "Asia/Hong_Kong"),
  eq("HK06680", "JL MAG Rare-Earth (06680.HK)", "HKD/share", "HKEX", "Asia/Hong_Kong"),
  { id: "USDCNY", name: "US dollar in Chinese yuan", unit: "CNY/USD", kind: "fx", market: "FX", timezone: "UTC" },
  { id: "USDHKD", name: "US dollar in Hong Kong dollars", unit: "HKD/USD", kind: "fx", market: "FX", timezone: "UTC" },
];
