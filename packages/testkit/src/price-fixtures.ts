// Real rare-earth price figures from the market reports the product grew out
// of (SMM averages for 2025, Baotou Rare Earth Exchange for January 2026),
// for rule tests that should fire on what actually happened in the market.

/** One price observation. */
export interface PriceFixture {
  instrument: string;
  price: number;
  unit: string;
  /** ISO 8601 timestamp, midnight UTC of the quoted day. */
  ts: string;
  source: string;
}

/** A one-day share price move quoted without absolute prices. */
export interface EquityMove {
  instrument: string;
  /** Percentage change over the day. */
  pct: number;
  note: string;
}

const day = (date: string): string => `${date}T00:00:00Z`;

const smm = (instrument: string, price: number, unit: string, date: string): PriceFixture => ({
  instrument,
  price,
  unit,
  ts: day(date),
  source: "smm",
});

/** SMM (Shanghai Metals Market) average prices, January to March 2025. */
export const SMM_2025: readonly PriceFixture[] = [
  smm("PRND_OXIDE", 415_000, "CNY/t", "2025-01-27"),
  smm("PRND_OXIDE", 444_000, "CNY/t", "2025-02-28"),
  smm("PRND_OXIDE", 444_000, "CNY/t", "2025-03-11"),
  smm("PRND_ALLOY", 546_500, "CNY/t", "2025-02-28"),
  smm("PRND_ALLOY", 544_000, "CNY/t", "2025-03-11"),
  smm("DY_OXIDE", 1_665, "CNY/kg", "2025-01-27"),
  smm("DY_OXIDE", 1_710, "CNY/kg", "2025-02-28"),
  smm("DY_OXIDE", 1_705, "CNY/kg", "2025-03-11"),
  smm("TB_OXIDE", 5_940, "CNY/kg", "2025-01-27"),
  smm("TB_OXIDE", 6_475, "CNY/kg", "2025-02-28"),
  smm("TB_OXIDE", 6_525, "CNY/kg", "2025-03-11"),
];

/**
 * PrNd oxide passed 450 000 CNY/t on 2025-02-25, a one-year high. The exact
 * figure was not quoted, so it is kept out of {@link SMM_2025}.
 */
export const PRND_OXIDE_ONE_YEAR_HIGH = { date: "2025-02-25", above: 450_000 } as const;

/** Baotou Rare Earth Exchange quotes on 2026-01-28 and their change since end-2025 (%). */
export const BAOTOU_2026_CHANGES: readonly { instrument: string; price: number; pctSinceEnd2025: number }[] = [
  { instrument: "ND_OXIDE", price: 732_500, pctSinceEnd2025: 20.08 },
  { instrument: "PR_OXIDE", price: 733_300, pctSinceEnd2025: 19.92 },
  { instrument: "Y_OXIDE", price: 77_000, pctSinceEnd2025: 33.46 },
];

/** The end-2025 price implied by a later price and the percentage rise since. */
const impliedBase = (price: number, pct: number): number => Math.round(price / (1 + pct / 100) / 100) * 100;

/**
 * Baotou Rare Earth Exchange prices (CNY/t). The 2026-01-28 entries are quoted;
 * the 2025-12-31 entries are DERIVED from them as price / (1 + pct / 100),
 * rounded to the nearest 100 CNY/t, so a rolling-change rule can be tested.
 */
export const BAOTOU_2026: readonly PriceFixture[] = BAOTOU_2026_CHANGES.flatMap(
  ({ instrument, price, pctSinceEnd2025 }) => [
    { instrument, price: impliedBase(price, pctSinceEnd2025), unit: "CNY/t", ts: day("2025-12-31"), source: "baotou" },
    { instrument, price, unit: "CNY/t", ts: day("2026-01-28"), source: "baotou" },
  ],
);

/** One-day moves of Hong Kong-listed rare-earth shares. */
export const EQUITY_MOVES: readonly EquityMove[] = [
  { instrument: "HK00769", pct: 29.41, note: "China Rare Earth Holdings (Hong Kong), one-day rise" },
  { instrument: "HK06680", pct: 2.71, note: "JL MAG Rare-Earth (Hong Kong), one-day rise" },
];

/**
 * The fixture for an instrument on a date (YYYY-MM-DD), from any source.
 *
 * @example
 * fixturePrice("TB_OXIDE", "2025-02-28").price; // 6475
 */
export function fixturePrice(instrument: string, date: string): PriceFixture {
  const found = [...SMM_2025, ...BAOTOU_2026].find((f) => f.instrument === instrument && f.ts.startsWith(`${date}T`));
  if (found === undefined) throw new Error(`No price fixture for ${instrument} on ${date}`);
  return found;
}
