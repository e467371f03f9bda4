/**
 * The reference evaluator's price history: a plain array, same rules as
 * price-history.ts (see there), written the obvious way.
 */

export interface Observation {
  tsMs: number;
  price: number;
  ts: string;
  source: string;
}

export interface SimpleHistory {
  list: Observation[];
  floorMs: number | null;
}

export type SimpleArrival = "new" | "late" | "duplicate" | "beyond";

export function addObservation(h: SimpleHistory, o: Observation): SimpleArrival {
  const list = h.list;
  if (list.some((x) => x.tsMs === o.tsMs && x.price === o.price && x.source === o.source)) return "duplicate";
  const newest = list[list.length - 1];
  if (newest === undefined || o.tsMs >= newest.tsMs) {
    list.push(o);
    return "new";
  }
  if (h.floorMs !== null && o.tsMs < h.floorMs) return "beyond";
  let pos = list.length;
  while (pos > 0 && (list[pos - 1] as Observation).tsMs > o.tsMs) pos--;
  list.splice(pos, 0, o);
  return "late";
}

/** index of the latest observation at or before t, or -1 */
export function latestAtOrBefore(list: readonly Observation[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as Observation).tsMs <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function pruneHistory(h: SimpleHistory, needMs: number, needObs: number): void {
  const list = h.list;
  if (list.length <= 1) return;
  const newest = (list[list.length - 1] as Observation).tsMs;
  const kw = Math.max(0, latestAtOrBefore(list, newest - needMs));
  const kn = Math.max(0, list.length - 1 - needObs);
  let k = Math.min(kw, kn);
  while (k > 0 && (list[k - 1] as Observation).tsMs === (list[k] as Observation).tsMs) k--;
  if (k === 0) return;
  list.splice(0, k);
  h.floorMs = (list[0] as Observation).tsMs;
}
