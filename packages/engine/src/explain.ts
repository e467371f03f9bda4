/** Builds alerts: the structured fields and the human explanation of why a rule fired. */
import type { Alert, Rule } from "@rea/contracts";
import { formatAmount, formatNumber, formatPct, roundPct } from "./number-format.js";
import type { AlertDecision, PriceTick } from "./types.js";
import { toQuoteCurrency } from "./unit-conversion.js";

/** The FX rate a conversion used. */
export interface FxUsed {
  instrument: string;
  rate: number;
  ts: string;
  invert: boolean;
}

/** What a change rule compared. */
export interface ChangeSeen {
  refPrice: number;
  refTs: string;
  /** unrounded percentage */
  pct: number;
  /** price minus reference, in the quote's unit */
  abs: number;
}

export interface PriceFiring {
  rule: Rule;
  massFactor: number;
  tick: PriceTick;
  quoteUnit: string;
  /** the instrument's previous price (cross rules say where it came from) */
  prevPrice: number | undefined;
  fx: FxUsed | undefined;
  change: ChangeSeen | undefined;
}

export interface LastPrice {
  price: number;
  unit: string;
  ts: string;
  source: string;
}

/**
 * "1d 2h", "15m", "45s": a duration for people.
 *
 * @example humanDuration(93_600_000) // "1d 2h"
 */
export function humanDuration(ms: number): string {
  let s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const parts: string[] = [];
  if (d > 0) parts.push(`${d}d`);
  if (h > 0) parts.push(`${h}h`);
  if (m > 0 && d === 0) parts.push(`${m}m`);
  if (s > 0 && d === 0 && h === 0) parts.push(`${s}s`);
  return parts.length > 0 ? parts.join(" ") : "0s";
}

/**
 * Last formatted values: the alerts of one price are built one after another
 * and share its price, previous price and window changes.
 */
let memoPrice = NaN;
let memoPriceText = "";
let memoPrev = NaN;
let memoPrevText = "";
function priceText(price: number): string {
  if (price !== memoPrice) {
    memoPrice = price;
    memoPriceText = formatAmount(price);
  }
  return memoPriceText;
}
type AlertPrice = Alert["price"];
let memoPriceOf: AlertPrice = { value: NaN, unit: "", ts: "", source: "", seq: -1 };
/** the alert's `price`, one object shared by the alerts of one price (alerts are not to be mutated) */
function priceOf(t: PriceTick): AlertPrice {
  const m = memoPriceOf;
  if (m.seq !== t.seq || m.value !== t.price || m.ts !== t.ts || m.source !== t.source || m.unit !== t.unit) {
    memoPriceOf = { value: t.price, unit: t.unit, ts: t.ts, source: t.source, seq: t.seq };
  }
  return memoPriceOf;
}
type AlertFx = NonNullable<Alert["fx"]>;
let memoFxOf: AlertFx = { instrument: "", rate: NaN, ts: "" };
function fxOf(fx: FxUsed): AlertFx {
  const m = memoFxOf;
  if (m.instrument !== fx.instrument || m.rate !== fx.rate || m.ts !== fx.ts) {
    memoFxOf = { instrument: fx.instrument, rate: fx.rate, ts: fx.ts };
  }
  return memoFxOf;
}
function prevText(prev: number): string {
  if (prev !== memoPrev) {
    memoPrev = prev;
    memoPrevText = formatAmount(prev);
  }
  return memoPrevText;
}

interface ChangeTexts {
  reference: { value: number; ts: string };
  change: { pct: number; abs: number };
  pct: string;
  abs: string;
  absMagnitude: string;
  pctMagnitude: string;
  ref: string;
}
let memoChange: ChangeSeen = { refPrice: NaN, refTs: "", pct: NaN, abs: NaN };
let memoChangeTexts: ChangeTexts | undefined;
function changeTexts(ch: ChangeSeen): ChangeTexts {
  const m = memoChange;
  if (
    memoChangeTexts === undefined ||
    ch.pct !== m.pct ||
    ch.abs !== m.abs ||
    ch.refPrice !== m.refPrice ||
    ch.refTs !== m.refTs
  ) {
    memoChange = { refPrice: ch.refPrice, refTs: ch.refTs, pct: ch.pct, abs: ch.abs };
    memoChangeTexts = {
      reference: { value: ch.refPrice, ts: ch.refTs },
      change: { pct: roundPct(ch.pct), abs: ch.abs },
      pct: formatPct(ch.pct),
      abs: signed(ch.abs, formatAmount(ch.abs)),
      absMagnitude: formatAmount(Math.abs(ch.abs)),
      pctMagnitude: formatNumber(Math.abs(ch.pct), 2, 2),
      ref: formatAmount(ch.refPrice),
    };
  }
  return memoChangeTexts;
}

function signed(value: number, text: string): string {
  return value < 0 || text.startsWith("-") ? text : `+${text}`;
}

/** "62 USD/kg = 446,400 CNY/t at USDCNY 7.2 (2025-02-25T00:00:00Z)", or just the rule's figure. */
function thresholdLine(
  value: number,
  quoteValue: number,
  unit: string,
  quoteUnit: string,
  fx: FxUsed | undefined,
): string {
  let line = `${formatAmount(value)} ${unit}`;
  if (unit !== quoteUnit) line += ` = ${formatAmount(quoteValue)} ${quoteUnit}`;
  if (fx !== undefined) line += ` at ${fx.instrument} ${formatAmount(fx.rate)} (${fx.ts})`;
  return line;
}

function quoteValueOf(value: number, massFactor: number, fx: FxUsed | undefined): number {
  const perQuoteMeasure = value * massFactor;
  return fx === undefined ? perQuoteMeasure : toQuoteCurrency(perQuoteMeasure, fx.rate, fx.invert);
}

/**
 * The alert for a rule that fired on a price. Its id is
 * `<ruleId>:<revision>:<seq>`, so a replay of the same price gives the same id.
 *
 * @example priceAlert({ rule, massFactor: 1, tick, quoteUnit: "CNY/t", prevPrice: 448000, fx: undefined, change: undefined }).title
 * // "PRND_OXIDE above 450,000 CNY/t"
 */
export function priceAlert(f: PriceFiring): Alert {
  const { rule, tick, quoteUnit, fx } = f;
  const c = rule.condition;
  const inst = tick.instrument;
  const price = priceText(tick.price);
  const alert: Alert = {
    id: `${rule.id}:${rule.revision}:${tick.seq}`,
    ruleId: rule.id,
    ruleRevision: rule.revision,
    userId: rule.userId,
    instrument: inst,
    condition: c,
    price: priceOf(tick),
    firedAt: tick.ts,
    channels: rule.channels,
    title: "",
    text: "",
  };
  const lines: string[] = [];
  let title: string;
  if (c.type === "change") {
    const ch = f.change;
    if (ch === undefined) throw new Error("a change alert needs the change it saw");
    const w = typeof c.window === "string" ? c.window : c.window.obs === 1 ? "1 price" : `${c.window.obs} prices`;
    const span = typeof c.window === "string" ? `in ${w}` : `over ${w}`;
    const rose = ch.abs >= 0;
    const texts = changeTexts(ch);
    const shown = c.pct !== undefined ? `${texts.pctMagnitude}%` : `${texts.absMagnitude} ${quoteUnit}`;
    title = `${inst} ${rose ? "up" : "down"} ${shown} ${span}`;
    lines.push(
      `${inst} ${rose ? "rose" : "fell"} ${shown} ${span}: from ${texts.ref} ${quoteUnit} (${ch.refTs}) to ${price} ${tick.unit} (${tick.ts}).`,
      `Price: ${price} ${tick.unit} at ${tick.ts} from ${tick.source}.`,
      typeof c.window === "string"
        ? `Reference: ${texts.ref} ${quoteUnit} at ${ch.refTs}, the latest price at or before ${w} earlier.`
        : `Reference: ${texts.ref} ${quoteUnit} at ${ch.refTs}, ${w} back.`,
    );
    const dir = c.direction === "any" ? "up or down" : c.direction;
    const want = c.pct !== undefined ? `${formatAmount(c.pct)}%` : `${formatAmount(c.abs ?? 0)} ${rule.unit}`;
    lines.push(`Change: ${texts.pct} (${texts.abs} ${quoteUnit}); rule: ${dir} ${want} ${span}.`);
    alert.reference = texts.reference;
    alert.change = texts.change;
    if (c.abs !== undefined) {
      const quoteValue = quoteValueOf(c.abs, f.massFactor, fx);
      alert.threshold = { value: c.abs, unit: rule.unit, quoteValue, quoteUnit };
      if (rule.unit !== quoteUnit)
        lines.push(`Threshold: ${thresholdLine(c.abs, quoteValue, rule.unit, quoteUnit, fx)}.`);
    }
  } else if (c.type === "stale") {
    throw new Error("stale rules fire on the clock: use staleAlert");
  } else {
    const quoteValue = quoteValueOf(c.value, f.massFactor, fx);
    const thr = `${formatAmount(c.value)} ${rule.unit}`;
    const up = c.type === "above" || c.type === "cross_up";
    if (c.type === "above" || c.type === "below") {
      title = `${inst} ${c.type} ${thr}`;
      lines.push(`${inst} is at ${price} ${tick.unit}, at or ${c.type} ${thr}.`);
    } else {
      title = `${inst} crossed ${up ? "above" : "below"} ${thr}`;
      const from = f.prevPrice === undefined ? "" : ` from ${prevText(f.prevPrice)}`;
      lines.push(`${inst} ${up ? "rose" : "fell"}${from} to ${price} ${tick.unit}, crossing ${thr}.`);
    }
    lines.push(
      `Price: ${price} ${tick.unit} at ${tick.ts} from ${tick.source}.`,
      `Threshold: ${thresholdLine(c.value, quoteValue, rule.unit, quoteUnit, fx)}.`,
    );
    alert.threshold = { value: c.value, unit: rule.unit, quoteValue, quoteUnit };
  }
  if (fx !== undefined) alert.fx = fxOf(fx);
  if (rule.note !== undefined) {
    alert.note = rule.note;
    lines.push(`Note: ${rule.note}`);
  }
  alert.title = title;
  alert.text = lines.join("\n");
  return alert;
}

/**
 * The alert of a stale rule: no price for `after`. Its id is
 * `<ruleId>:<revision>:stale:<seq of the last price, 0 if none>`.
 *
 * @example staleAlert(rule, "CNY/t", last, 123, Date.parse("2025-03-01T02:00:00Z")).title
 * // "PRND_OXIDE: no price for 26h"
 */
export function staleAlert(
  rule: Rule,
  quoteUnit: string,
  last: LastPrice | undefined,
  lastSeq: number,
  nowMs: number,
): Alert {
  const c = rule.condition;
  const after = c.type === "stale" ? c.after : "?";
  const firedAt = new Date(nowMs).toISOString();
  const anchorTs = last?.ts ?? rule.createdAt;
  const lines = [
    `No ${rule.instrument} price has arrived for ${humanDuration(nowMs - Date.parse(anchorTs))} (rule: stale after ${after}).`,
    last === undefined
      ? `No ${rule.instrument} price has been received since the rule was created at ${rule.createdAt}.`
      : `Last price: ${formatAmount(last.price)} ${last.unit} at ${last.ts} from ${last.source}.`,
    `Checked at ${firedAt}.`,
  ];
  const alert: Alert = {
    id: `${rule.id}:${rule.revision}:stale:${lastSeq}`,
    ruleId: rule.id,
    ruleRevision: rule.revision,
    userId: rule.userId,
    instrument: rule.instrument,
    condition: c,
    price:
      last === undefined
        ? { value: 0, unit: quoteUnit, ts: rule.createdAt, source: "none", seq: 0 }
        : { value: last.price, unit: last.unit, ts: last.ts, source: last.source, seq: 0 },
    firedAt,
    channels: rule.channels,
    title: `${rule.instrument}: no price for ${after}`,
    text: "",
  };
  if (rule.note !== undefined) {
    alert.note = rule.note;
    lines.push(`Note: ${rule.note}`);
  }
  alert.text = lines.join("\n");
  return alert;
}

/**
 * The decision of a rule that fired on a price: what the alert needs is kept
 * (all of it immutable: the rule revision, the tick, the FX rate and change
 * seen), and the alert with its explanation is built on first read. Even the
 * rule id is read from the rule only when asked: a rule object is a cache
 * miss, and deciding which of a million rules fire needs none of them.
 */
export class PriceAlertDecision implements AlertDecision {
  readonly kind = "alert";
  private built: Alert | undefined = undefined;

  constructor(
    readonly rule: Rule,
    readonly massFactor: number,
    readonly tick: PriceTick,
    readonly quoteUnit: string,
    readonly prevPrice: number | undefined,
    readonly fx: FxUsed | undefined,
    readonly change: ChangeSeen | undefined,
  ) {}

  get ruleId(): string {
    return this.rule.id;
  }

  get alert(): Alert {
    return (this.built ??= priceAlert(this));
  }

  toJSON(): { kind: "alert"; ruleId: string; alert: Alert } {
    return { kind: "alert", ruleId: this.ruleId, alert: this.alert };
  }
}

/** The decision of a stale rule that fired on the clock; its alert is built on first read. */
export class StaleAlertDecision implements AlertDecision {
  readonly kind = "alert";
  readonly ruleId: string;
  private built: Alert | undefined = undefined;

  constructor(
    private readonly rule: Rule,
    private readonly quoteUnit: string,
    private readonly last: LastPrice | undefined,
    private readonly lastSeq: number,
    private readonly nowMs: number,
  ) {
    this.ruleId = rule.id;
  }

  get alert(): Alert {
    return (this.built ??= staleAlert(this.rule, this.quoteUnit, this.last, this.lastSeq, this.nowMs));
  }

  toJSON(): { kind: "alert"; ruleId: string; alert: Alert } {
    return { kind: "alert", ruleId: this.ruleId, alert: this.alert };
  }
}
