import { describe, expect, it } from "vitest";
import { JsonFormatSchema } from "../poll-config.js";
import type { JsonFormat } from "../poll-config.js";
import { parseJsonQuotes } from "./json-quotes.js";
import { loadFixture } from "./test-quote-server.js";

const agency = new TextDecoder().decode(loadFixture("agency-prices.json.txt"));
const AGENCY_NAMES = {
  "Pr-Nd oxide": "PRND_OXIDE",
  "Pr-Nd alloy": "PRND_ALLOY",
  "Dy oxide": "DY_OXIDE",
  "Tb oxide": "TB_OXIDE",
};
const mapping = (m: object): JsonFormat => JsonFormatSchema.parse({ type: "json", ...m });
const opts = { source: "smm", timeZone: "Asia/Shanghai", fetchedAtMs: Date.parse("2025-02-28T09:30:00Z") };

describe("JSON quotes through a field mapping", () => {
  it("reads the recorded agency response: item paths, provider names to ids, local dates in the feed's timezone", () => {
    const m = mapping({
      items: "data.prices",
      instrument: "product",
      price: "avg",
      ts: { path: "date", format: "local" },
    });
    expect(parseJsonQuotes(agency, m, { ...opts, instruments: AGENCY_NAMES })).toEqual({
      observations: [
        { instrument: "PRND_OXIDE", price: 444000, ts: "2025-02-27T16:00:00Z", source: "smm" },
        { instrument: "PRND_ALLOY", price: 546500, ts: "2025-02-27T16:00:00Z", source: "smm" },
        { instrument: "DY_OXIDE", price: 1710, ts: "2025-02-27T16:00:00Z", source: "smm" },
        { instrument: "TB_OXIDE", price: 6475, ts: "2025-02-27T16:00:00Z", source: "smm" },
      ],
      skipped: ["Gd oxide: no price"],
    });
  });

  it("reads a single object with a constant instrument, an epoch time, a unit field and the fetch time", () => {
    const body = JSON.stringify({ quote: { last: 7.2871, t: 1740729600, ccy: "CNY/USD" } });
    const m = mapping({
      items: "quote",
      instrument: { const: "USDCNY" },
      price: "last",
      ts: { path: "t", format: "epoch_s" },
      unit: "ccy",
    });
    expect(parseJsonQuotes(body, m, opts).observations).toEqual([
      { instrument: "USDCNY", price: 7.2871, ts: "2025-02-28T08:00:00Z", source: "smm", unit: "CNY/USD" },
    ]);
    const fetched = mapping({ items: "quote", instrument: { const: "USDCNY" }, price: "last", ts: { at: "fetch" } });
    expect(parseJsonQuotes(body, fetched, opts).observations[0]?.ts).toBe("2025-02-28T09:30:00Z");
  });

  it("reads array indexes in paths and ISO times with an offset", () => {
    const body = JSON.stringify([{ q: ["SH600111", "23.58"], at: "2025-02-28T15:00:00+08:00" }]);
    const m = mapping({ instrument: "q.0", price: "q.1", ts: "at" });
    expect(parseJsonQuotes(body, m, opts).observations).toEqual([
      { instrument: "SH600111", price: 23.58, ts: "2025-02-28T07:00:00Z", source: "smm" },
    ]);
  });

  it("refuses the whole response when a field is missing, not a number or not a time, naming it", () => {
    const m = mapping({
      items: "data.prices",
      instrument: "product",
      price: "avg",
      ts: { path: "date", format: "local" },
    });
    const bad = (from: string, to: string) => () => parseJsonQuotes(agency.replace(from, to), m, opts);
    expect(bad('"avg": 1710', '"avg": "n/a"')).toThrow('item 2 price is not a number: "n/a"');
    expect(bad('"avg": 1710', '"mean": 1710')).toThrow('item 2 price: no field at "avg"');
    expect(bad('6475, "date": "2025-02-28"', '6475, "date": "yesterday"')).toThrow(
      'item 3 ts is not a local time: "yesterday"',
    );
    expect(() => parseJsonQuotes("{not json", m, opts)).toThrow(/the body is not JSON/);
    expect(() => parseJsonQuotes('{"data":{}}', m, opts)).toThrow('no items at "data.prices"');
    const isoMapping = mapping({ items: "data.prices", instrument: "product", price: "avg", ts: "date" });
    expect(() => parseJsonQuotes(agency, isoMapping, opts)).toThrow('item 0 ts is not a iso time: "2025-02-28"');
  });
});
