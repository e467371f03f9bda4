import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, formatNumber, formatPct, roundPct } from "./number-format.js";

describe("formatNumber", () => {
  it("writes thousands separators and rounds like en-US", () => {
    expect(formatNumber(444000)).toBe("444,000");
    expect(formatNumber(732500)).toBe("732,500");
    expect(formatNumber(1.005, 2)).toBe("1.01");
    expect(formatNumber(6.987951807228916, 2, 2)).toBe("6.99");
    expect(formatNumber(2.7027027, 2, 2)).toBe("2.70");
    expect(formatNumber(-29000)).toBe("-29,000");
    expect(formatNumber(999.995, 2)).toBe("1,000");
    expect(formatNumber(1.5e-7, 6)).toBe("0");
  });

  it("gives exactly what Intl.NumberFormat('en-US') gives", () => {
    const cache = new Map<string, Intl.NumberFormat>();
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: -1e15, max: 1e15, noNaN: true }),
          fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
        ),
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        (v, a, b) => {
          const max = Math.max(a, b);
          const min = Math.min(a, b);
          const key = `${min}:${max}`;
          let nf = cache.get(key);
          if (nf === undefined) {
            nf = new Intl.NumberFormat("en-US", { minimumFractionDigits: min, maximumFractionDigits: max });
            cache.set(key, nf);
          }
          expect(formatNumber(v, max, min)).toBe(nf.format(v));
        },
      ),
      { seed: 1665, numRuns: 5000 },
    );
  });

  it("shows amounts with decimals that fit their size and percentages with a sign", () => {
    expect(formatAmount(446400.00000000006)).toBe("446,400");
    expect(formatAmount(7.18345)).toBe("7.1835");
    expect(formatAmount(0.1234567)).toBe("0.123457");
    expect(formatPct(9.006734)).toBe("+9.01%");
    expect(formatPct(-6.531531)).toBe("-6.53%");
    expect(roundPct(6.987951807228916)).toBe(6.99);
    expect(roundPct(1234.5678)).toBe(1234.57);
  });
});
