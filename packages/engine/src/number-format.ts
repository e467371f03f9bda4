/**
 * Number formatting for alert texts: en-US grouping ("444,000", "6.99"),
 * independent of the machine's locale. Gives exactly what
 * `new Intl.NumberFormat("en-US", { minimumFractionDigits, maximumFractionDigits })`
 * gives (rounding half away from zero on the shortest decimal form), several
 * times faster, which matters when one price fires thousands of alerts.
 */

const FALLBACK = new Map<string, Intl.NumberFormat>();

function intlFormat(value: number, maxFraction: number, minFraction: number): string {
  const key = `${minFraction}:${maxFraction}`;
  let nf = FALLBACK.get(key);
  if (nf === undefined) {
    nf = new Intl.NumberFormat("en-US", { minimumFractionDigits: minFraction, maximumFractionDigits: maxFraction });
    FALLBACK.set(key, nf);
  }
  return nf.format(value);
}

function group(intDigits: string): string {
  const n = intDigits.length;
  if (n <= 3) return intDigits;
  let out = intDigits.slice(0, ((n - 1) % 3) + 1);
  for (let i = out.length; i < n; i += 3) out += "," + intDigits.slice(i, i + 3);
  return out;
}

/** Adds one unit in the last place to a string of decimal digits. */
function incrementDigits(digits: string): string {
  let i = digits.length - 1;
  while (i >= 0 && digits.charCodeAt(i) === 57 /* 9 */) i--;
  if (i < 0) return "1" + "0".repeat(digits.length);
  return digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1) + "0".repeat(digits.length - i - 1);
}

/**
 * Formats a number with thousands separators and at most `maxFraction` decimals.
 *
 * @example formatNumber(444000) // "444,000"
 * @example formatNumber(6.98795, 2, 2) // "6.99"
 */
export function formatNumber(value: number, maxFraction = 2, minFraction = 0): string {
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return intlFormat(value, maxFraction, minFraction);
  const negative = value < 0 || Object.is(value, -0);
  const abs = Math.abs(value);
  let intPart: string;
  let fracPart: string;
  if (Number.isInteger(abs) && abs < 1e15) {
    intPart = String(abs);
    fracPart = "";
  } else {
    const s = String(abs);
    const e = s.indexOf("e");
    const mantissa = e < 0 ? s : s.slice(0, e);
    const exponent = e < 0 ? 0 : Number(s.slice(e + 1));
    const dot = mantissa.indexOf(".");
    const lead = dot < 0 ? mantissa : mantissa.slice(0, dot);
    let digits = lead + (dot < 0 ? "" : mantissa.slice(dot + 1));
    let point = lead.length + exponent;
    if (point <= 0) {
      digits = "0".repeat(1 - point) + digits;
      point = 1;
    }
    if (point > digits.length) digits += "0".repeat(point - digits.length);
    if (digits.length - point > maxFraction) {
      const keep = point + maxFraction;
      const up = digits.charCodeAt(keep) >= 53; /* 5 */
      digits = digits.slice(0, keep);
      if (up) {
        const bumped = incrementDigits(digits);
        if (bumped.length > digits.length) point++;
        digits = bumped;
      }
    }
    intPart = digits.slice(0, point).replace(/^0+(?=\d)/, "");
    fracPart = digits.slice(point);
  }
  let end = fracPart.length;
  while (end > minFraction && fracPart.charCodeAt(end - 1) === 48 /* 0 */) end--;
  fracPart = fracPart.slice(0, end);
  if (fracPart.length < minFraction) fracPart += "0".repeat(minFraction - fracPart.length);
  const body = fracPart.length > 0 ? `${group(intPart)}.${fracPart}` : group(intPart);
  return negative ? `-${body}` : body;
}

/**
 * A price or threshold for people: 2 decimals from 100 up, 4 from 1, 6 below.
 *
 * @example formatAmount(446400.00000000006) // "446,400"
 * @example formatAmount(7.18345) // "7.1835"
 */
export function formatAmount(value: number): string {
  const a = Math.abs(value);
  return formatNumber(value, a >= 100 ? 2 : a >= 1 ? 4 : 6);
}

/**
 * A percentage change rounded to 2 decimals for display, with its sign.
 *
 * @example formatPct(6.987951807228916) // "+6.99%"
 */
export function formatPct(pct: number): string {
  const s = formatNumber(pct, 2, 2);
  return s.startsWith("-") ? `${s}%` : `+${s}%`;
}

/** Rounds a percentage to the 2 decimals shown (halves away from zero, as displayed). */
export function roundPct(pct: number): number {
  return Number(formatNumber(pct, 2, 0).replace(/,/g, ""));
}
