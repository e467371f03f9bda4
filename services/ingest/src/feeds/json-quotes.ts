/**
 * JSON quote bodies read through a field mapping from the feeds file: `items`
 * leads to an array of items (or one item), and each of `instrument`, `price`,
 * `ts` and `unit` is a path into an item or a constant. An item whose price is
 * null is skipped; a missing field or a value that is not a number refuses the
 * whole response.
 */
import type { FieldSpec, JsonFormat, TsSpec } from "../poll-config.js";
import type { Observation } from "../price-gate.js";
import { QuoteFormatError, toNumber } from "./parsed-quotes.js";
import type { ParsedQuotes } from "./parsed-quotes.js";
import { isoSeconds, zonedToUtcMs } from "./zoned-time.js";

export interface JsonOptions {
  source: string;
  /** timezone of `local` timestamps */
  timeZone: string;
  /** when the response arrived, for `{"at": "fetch"}` */
  fetchedAtMs: number;
  /** provider code → instrument id */
  instruments?: Readonly<Record<string, string>>;
}

const MISSING = Symbol("missing");

function at(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split(".")) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (cur !== null && typeof cur === "object" && Object.hasOwn(cur, key))
      cur = (cur as Record<string, unknown>)[key];
    else return MISSING;
  }
  return cur === undefined ? MISSING : cur;
}

function field(item: unknown, spec: FieldSpec, where: string): unknown {
  if (typeof spec !== "string") return spec.const;
  const v = at(item, spec);
  if (v === MISSING) throw new QuoteFormatError(`${where}: no field at "${spec}"`);
  return v;
}

function text(item: unknown, spec: FieldSpec, where: string): string {
  const v = field(item, spec, where);
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number") return String(v);
  throw new QuoteFormatError(`${where} is not a text: ${JSON.stringify(v)?.slice(0, 60)}`);
}

function timestamp(item: unknown, spec: TsSpec, where: string, opts: JsonOptions): string {
  if (typeof spec !== "string" && "at" in spec) return isoSeconds(opts.fetchedAtMs);
  if (typeof spec !== "string" && "const" in spec) return spec.const;
  const path = typeof spec === "string" ? spec : spec.path;
  const format = typeof spec === "string" ? "iso" : spec.format;
  const v = field(item, path, where);
  let ms: number | undefined;
  if (format === "epoch_s" || format === "epoch_ms") {
    ms = toNumber(v, where) * (format === "epoch_s" ? 1000 : 1);
  } else if (typeof v === "string") {
    ms = format === "local" ? zonedToUtcMs(v, opts.timeZone) : /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? Date.parse(v) : NaN;
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    throw new QuoteFormatError(`${where} is not a ${format} time: ${JSON.stringify(v)?.slice(0, 60)}`);
  }
  return isoSeconds(ms);
}

export function parseJsonQuotes(body: string, mapping: JsonFormat, opts: JsonOptions): ParsedQuotes {
  let root: unknown;
  try {
    root = JSON.parse(body);
  } catch (e) {
    throw new QuoteFormatError(`the body is not JSON: ${(e as Error).message}`);
  }
  const list = mapping.items === undefined ? root : at(root, mapping.items);
  if (list === MISSING) throw new QuoteFormatError(`no items at "${mapping.items}"`);
  if (list === null || typeof list !== "object") throw new QuoteFormatError("the items are not an array or an object");
  const items: unknown[] = Array.isArray(list) ? list : [list];
  const out: ParsedQuotes = { observations: [], skipped: [] };
  items.forEach((item, i) => {
    const where = `item ${i}`;
    const code = text(item, mapping.instrument, `${where} instrument`);
    const instrument = opts.instruments?.[code] ?? code;
    const rawPrice = field(item, mapping.price, `${where} price`);
    if (rawPrice === null) {
      out.skipped.push(`${instrument}: no price`);
      return;
    }
    const obs: Observation = {
      instrument,
      price: toNumber(rawPrice, `${where} price`),
      ts: timestamp(item, mapping.ts, `${where} ts`, opts),
      source: opts.source,
    };
    if (mapping.unit !== undefined) obs.unit = text(item, mapping.unit, `${where} unit`);
    out.observations.push(obs);
  });
  return out;
}
