import { TextDecoder } from "node:util";
import { describe, expect, it } from "vitest";
import { QuoteFormatError } from "./parsed-quotes.js";
import { parseSinaQuotes } from "./sina-quotes.js";
import { loadFixture } from "./test-quote-server.js";

const gb = (name: string) => new TextDecoder("gb18030").decode(loadFixture(name));
const opts = { source: "sina" };

describe("Sina quote layout", () => {
  it("reads the recorded A-share quotes: current price, Shanghai time to UTC, symbol to instrument id", () => {
    expect(parseSinaQuotes(gb("sina-a-shares.txt"), opts)).toEqual({
      observations: [
        { instrument: "SH600111", price: 23.58, ts: "2025-02-28T07:00:00Z", source: "sina" },
        { instrument: "SZ300748", price: 15.32, ts: "2025-02-28T07:00:03Z", source: "sina" },
        { instrument: "SZ000831", price: 36.1, ts: "2025-02-28T07:00:00Z", source: "sina" },
      ],
      skipped: [],
    });
  });

  it("reads the recorded Hong Kong quotes: last price at index 6, date with slashes, Hong Kong time", () => {
    const { observations } = parseSinaQuotes(gb("sina-hk.txt"), opts);
    expect(observations).toEqual([
      { instrument: "HK00769", price: 0.66, ts: "2025-02-28T08:08:00Z", source: "sina" },
      { instrument: "HK06680", price: 11.38, ts: "2025-02-28T08:08:00Z", source: "sina" },
    ]);
  });

  it("maps a symbol to another instrument id when the feed says so", () => {
    const { observations } = parseSinaQuotes(gb("sina-hk.txt"), { ...opts, instruments: { hk06680: "JLMAG_HK" } });
    expect(observations.map((o) => o.instrument)).toEqual(["HK00769", "JLMAG_HK"]);
  });

  it("skips an unknown symbol's empty quote and a price of 0, saying why", () => {
    const body = [
      'var hq_str_sh600999="";',
      gb("sina-a-shares.txt").split("\n")[0]!.replace(",23.580,23.750,", ",0.000,23.750,"),
    ].join("\n");
    expect(parseSinaQuotes(body, opts)).toEqual({
      observations: [],
      skipped: ["sh600999: no quote (unknown symbol)", "sh600111: no trade (price 0)"],
    });
  });

  it("refuses a response whose price is not a number, naming the symbol and field", () => {
    const body = gb("sina-a-shares.txt").replace(",15.320,15.480,", ",15.3x0,15.480,");
    expect(() => parseSinaQuotes(body, opts)).toThrow(
      new QuoteFormatError('sz300748 field 3 (price) is not a number: "15.3x0"'),
    );
  });

  it("refuses truncated quotes, foreign lines, unsupported symbols and empty bodies", () => {
    const first = gb("sina-a-shares.txt").split("\n")[0]!;
    const truncated = 'var hq_str_sh600111="北方稀土,23.100,23.050,23.580,23.750,22.900";';
    expect(() => parseSinaQuotes(truncated, opts)).toThrow(/sh600111 has 6 fields, the layout has at least 32/);
    expect(() => parseSinaQuotes("<html>Forbidden</html>", opts)).toThrow(/line 1 is not a Sina quote/);
    expect(() => parseSinaQuotes('var hq_str_fx_susdcny="14:59:58,7.2870";', opts)).toThrow(/unsupported Sina symbol/);
    expect(() => parseSinaQuotes("\n\n", opts)).toThrow(/no quote in the response/);
    expect(() => parseSinaQuotes(first.replace("2025-02-28,15:00:00", "2025-02-30,15:00:00"), opts)).toThrow(
      /date and time are not a time/,
    );
  });
});
