/**
 * Which stored prices a rule preview runs over. Firings are reported from
 * `from` on; before it, the rule sees just the prices its condition looks back
 * on, as if it had been created then: nothing for a level rule, the previous
 * price for a cross or stale rule, the window for a change rule. A rule in
 * another currency also gets the FX instrument's prices over the same stretch.
 */
import { AppError, durationMs, fxPairFor, parseUnit } from "@rea/contracts";
import type { Condition, Rule } from "@rea/contracts";
import type { PriceTick } from "@rea/engine";
import type { PricePort, StoredPrice } from "./deps.js";

/** Index of the first price the rule must see so that it is judged at `fromMs` as it would be live. */
export function lookbackStart(prices: readonly StoredPrice[], fromMs: number | undefined, c: Condition): number {
  if (fromMs === undefined) return 0;
  let firstIn = prices.findIndex((p) => Date.parse(p.ts) >= fromMs);
  if (firstIn < 0) firstIn = prices.length;
  switch (c.type) {
    case "above":
    case "below":
      return firstIn;
    case "cross_up":
    case "cross_down":
    case "stale":
      return Math.max(0, firstIn - 1);
    case "change": {
      if (typeof c.window !== "string") return Math.max(0, firstIn - c.window.obs);
      const refMs = fromMs - durationMs(c.window);
      let ref = -1;
      for (let i = 0; i < firstIn; i++) if (Date.parse(prices[i]?.ts ?? "") <= refMs) ref = i;
      return Math.max(0, ref);
    }
  }
}

const toTick = (p: StoredPrice): PriceTick => ({
  instrument: p.instrument,
  price: p.price,
  unit: p.unit,
  ts: p.ts,
  tsMs: Date.parse(p.ts),
  source: p.source,
  seq: p.seq,
});

const tooMuch = (max: number): AppError =>
  new AppError(
    "UNPROCESSABLE",
    `the preview would run over more than ${max} prices: choose a later from or earlier to`,
    {
      details: [{ path: "from", message: `more than ${max} prices in range` }],
    },
  );

export interface PreviewInput {
  /** the instrument's and the FX instrument's prices, in time order */
  ticks: PriceTick[];
  /** the instrument's prices at or after `from` */
  evaluated: number;
  /** the first reported time: `from`, or the oldest price */
  fromTs: string | null;
}

/** Loads and selects the prices a preview of `rule` runs over; 422 when there are more than `max`. */
export async function previewInput(
  prices: PricePort,
  rule: Rule,
  opts: { fromMs: number | undefined; toMs: number; quoteUnit: string; knows: (id: string) => boolean; max: number },
): Promise<PreviewInput> {
  const all = await prices.history(rule.instrument, { toMs: opts.toMs, limit: opts.max + 1 });
  const truncated = all.length > opts.max;
  const start = lookbackStart(all, opts.fromMs, rule.condition);
  if ((truncated && start === 0) || all.length - start > opts.max) throw tooMuch(opts.max);
  const own = all.slice(start);
  const evaluated =
    opts.fromMs === undefined ? own.length : own.filter((p) => Date.parse(p.ts) >= (opts.fromMs ?? 0)).length;
  const fromTs = opts.fromMs === undefined ? (own[0]?.ts ?? null) : new Date(opts.fromMs).toISOString();
  let ticks = own.map(toTick);
  const fx = fxPairFor(parseUnit(rule.unit).currency, parseUnit(opts.quoteUnit).currency);
  if (fx !== undefined && opts.knows(fx.instrument) && own.length > 0) {
    const fxAll = await prices.history(fx.instrument, { toMs: opts.toMs, limit: opts.max + 1 });
    const firstMs = Date.parse(own[0]?.ts ?? "");
    // the rate in force at the first price, and every later one
    const after = fxAll.findIndex((p) => Date.parse(p.ts) > firstMs);
    const fxFrom = after < 0 ? Math.max(0, fxAll.length - 1) : Math.max(0, after - 1);
    if ((fxAll.length > opts.max && fxFrom === 0) || own.length + fxAll.length - fxFrom > opts.max)
      throw tooMuch(opts.max);
    ticks = ticks.concat(fxAll.slice(fxFrom).map(toTick));
    ticks.sort((a, b) => a.tsMs - b.tsMs || a.seq - b.seq);
  }
  return { ticks, evaluated, fromTs };
}
