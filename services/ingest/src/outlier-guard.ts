/**
 * The outlier guard: a price that moved more than its instrument's limit against
 * the last accepted price is held as suspect instead of being published. A real
 * move is confirmed by the next observation: when it lies within the limit of
 * the held price, it is accepted and becomes the new reference. Pure: no I/O.
 */
import type { Instrument } from "@rea/contracts";

/** Default limits in % by kind of instrument (A-shares: ChiNext/STAR move up to 20% a day). */
export const DEFAULT_MAX_MOVE_PCT = { rare_earth: 15, cn_equity: 21, hk_equity: 60, fx: 5 } as const;

/** The default limit of an instrument, or undefined when the instrument is not known. */
export function defaultMaxMovePct(instrument: Pick<Instrument, "kind" | "market"> | undefined): number | undefined {
  if (instrument === undefined) return undefined;
  if (instrument.kind === "rare_earth") return DEFAULT_MAX_MOVE_PCT.rare_earth;
  if (instrument.kind === "fx") return DEFAULT_MAX_MOVE_PCT.fx;
  return instrument.market === "HKEX" ? DEFAULT_MAX_MOVE_PCT.hk_equity : DEFAULT_MAX_MOVE_PCT.cn_equity;
}

export interface Observed {
  price: number;
  tsMs: number;
}

export type GuardVerdict =
  | { verdict: "ok" }
  /** beyond the limit, but within the limit of the held suspect price: the move is real */
  | { verdict: "confirmed"; reference: Observed; movePct: number; limitPct: number }
  | { verdict: "suspect"; reference: Observed; movePct: number; limitPct: number; repeat: boolean };

const movePct = (from: number, to: number): number => ((to - from) / from) * 100;

export class OutlierGuard {
  private readonly last = new Map<string, Observed>();
  private readonly held = new Map<string, Observed>();
  private readonly seeded = new Set<string>();

  /** whether the guard has a reference (or knows there is none) for an instrument */
  knows(instrument: string): boolean {
    return this.last.has(instrument) || this.seeded.has(instrument);
  }

  /** the last price the stream holds for an instrument, learnt at start */
  seed(instrument: string, last: Observed | undefined): void {
    this.seeded.add(instrument);
    if (last !== undefined && !this.last.has(instrument)) this.last.set(instrument, last);
  }

  /**
   * Judges a well-formed price. Observations older than the reference (backfill,
   * out of order) are not judged against it.
   */
  check(instrument: string, obs: Observed, limitPct: number | undefined): GuardVerdict {
    const ref = this.last.get(instrument);
    if (ref === undefined || limitPct === undefined || obs.tsMs < ref.tsMs) return { verdict: "ok" };
    const move = movePct(ref.price, obs.price);
    if (Math.abs(move) <= limitPct) {
      this.held.delete(instrument);
      return { verdict: "ok" };
    }
    const held = this.held.get(instrument);
    if (held !== undefined && held.tsMs === obs.tsMs && held.price === obs.price) {
      return { verdict: "suspect", reference: ref, movePct: move, limitPct, repeat: true };
    }
    if (held !== undefined && obs.tsMs > held.tsMs && Math.abs(movePct(held.price, obs.price)) <= limitPct) {
      this.held.delete(instrument);
      return { verdict: "confirmed", reference: ref, movePct: move, limitPct };
    }
    this.held.set(instrument, obs);
    return { verdict: "suspect", reference: ref, movePct: move, limitPct, repeat: false };
  }

  /** records a published price as the reference, unless an observation after it is known */
  accept(instrument: string, obs: Observed): void {
    const ref = this.last.get(instrument);
    if (ref === undefined || obs.tsMs >= ref.tsMs) this.last.set(instrument, obs);
  }
}
