/**
 * The Sina finance quote layout (hq.sinajs.cn), one line per symbol:
 *
 *   var hq_str_sh600111="北方稀土,23.100,23.050,23.580,...,2025-02-28,15:00:00,00";
 *
 * - A-shares (`sh`, `sz`): 0 name, 1 open, 2 previous close, 3 current price,
 *   4 high, 5 low, 6-29 bids/asks and volumes, 30 date, 31 time (Asia/Shanghai).
 * - Hong Kong (`hk`, `rt_hk`): 0 English name, 1 Chinese name, 2 open,
 *   3 previous close, 4 high, 5 low, 6 last price, ..., 17 date "2025/02/28",
 *   18 time "16:08" (Asia/Hong_Kong).
 *
 * `sh600111` becomes instrument `SH600111`, `hk00769` becomes `HK00769`. An empty
 * quote (unknown symbol) and a price of 0 (no trade yet, suspended) are skipped;
 * anything else that does not fit the layout refuses the whole response.
 */
import { isoSeconds, zonedToUtcMs } from "./zoned-time.js";
import { QuoteFormatError, toNumber } from "./parsed-quotes.js";
import type { ParsedQuotes } from "./parsed-quotes.js";

const LINE = /^var hq_str_([A-Za-z0-9_]+)="([^"]*)";?$/;
const SYMBOL = /^(?:rt_)?(sh|sz|hk)([0-9A-Za-z]{4,10})$/;

interface Layout {
  minFields: number;
  /** fields that must be numbers, with their names */
  numbers: ReadonlyArray<readonly [number, string]>;
  price: number;
  date: number;
  time: number;
  timeZone: string;
}

const A_SHARE: Layout = {
  minFields: 32,
  numbers: [
    [1, "open"],
    [2, "previous close"],
    [3, "price"],
    [4, "high"],
    [5, "low"],
  ],
  price: 3,
  date: 30,
  time: 31,
  timeZone: "Asia/Shanghai",
};

const HONG_KONG: Layout = {
  minFields: 19,
  numbers: [
    [2, "open"],
    [3, "previous close"],
    [4, "high"],
    [5, "low"],
    [6, "price"],
  ],
  price: 6,
  date: 17,
  time: 18,
  timeZone: "Asia/Hong_Kong",
};

export interface SinaOptions {
  source: string;
  /** Sina symbol → instrument id, for symbols whose upper-cased form is not the id */
  instruments?: Readonly<Record<string, string>>;
}

export function parseSinaQuotes(body: string, opts: SinaOptions): ParsedQuotes {
  const out: ParsedQuotes = { observations: [], skipped: [] };
  const lines = body.split(/\r?\n/).map((l) => l.trim());
  let quotes = 0;
  lines.forEach((line, i) => {
    if (line === "") return;
    const m = LINE.exec(line);
    if (!m) throw new QuoteFormatError(`line ${i + 1} is not a Sina quote: ${line.slice(0, 60)}`);
    quotes++;
    const [, symbol, data] = m as unknown as [string, string, string];
    const sym = SYMBOL.exec(symbol);
    if (!sym) throw new QuoteFormatError(`unsupported Sina symbol ${symbol}`);
    if (data === "") {
      out.skipped.push(`${symbol}: no quote (unknown symbol)`);
      return;
    }
    const market = sym[1] as string;
    const layout = market === "hk" ? HONG_KONG : A_SHARE;
    const fields = data.split(",");
    if (fields.length < layout.minFields) {
      throw new QuoteFormatError(`${symbol} has ${fields.length} fields, the layout has at least ${layout.minFields}`);
    }
    for (const [index, name] of layout.numbers) toNumber(fields[index], `${symbol} field ${index} (${name})`);
    const price = toNumber(fields[layout.price], `${symbol} price`);
    const local = `${fields[layout.date] ?? ""} ${fields[layout.time] ?? ""}`;
    const tsMs = zonedToUtcMs(local, layout.timeZone);
    if (tsMs === undefined) throw new QuoteFormatError(`${symbol} date and time are not a time: "${local}"`);
    if (price === 0) {
      out.skipped.push(`${symbol}: no trade (price 0)`);
      return;
    }
    const id = `${market}${sym[2] as string}`;
    out.observations.push({
      instrument: opts.instruments?.[symbol] ?? opts.instruments?.[id] ?? id.toUpperCase(),
      price,
      ts: isoSeconds(tsMs),
      source: opts.source,
    });
  });
  if (quotes === 0) throw new QuoteFormatError("no quote in the response");
  return out;
}
