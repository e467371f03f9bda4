/**
 * The values one price produces for its instrument's ladders, computed once:
 * per conversion group the price (and the previous one) in the rule's
 * currency, per window the reference and the change in percent and amount.
 * Written into the book's packed `hot` array (see ladder-layout.ts).
 */
import { changePct } from "./compiled-rule.js";
import type { EngineCore } from "./engine-core.js";
import type { ChangeSeen, FxUsed } from "./explain.js";
import type { ConversionGroup, InstrumentBook, Ladder } from "./instrument-book.js";
import { GROUPS_AT, GROUP_FIELDS, WINDOW_FIELDS } from "./ladder-layout.js";
import { OBS } from "./price-history.js";
import type { ObservedTs } from "./price-history.js";
import { toRuleCurrency } from "./unit-conversion.js";

// Module-local copies of the slot layouts: V8 folds these into the loops.
const { RATE: G_RATE, INVERT: G_INVERT, HASFX: G_HASFX, STRIDE: G_STRIDE } = GROUP_FIELDS;
const {
  MS: W_MS,
  OBS: W_OBS,
  PTR: W_PTR,
  VERSION: W_VERSION,
  NEXT: W_NEXT,
  REF: W_REF,
  PCT: W_PCT,
  ABS: W_ABS,
  STRIDE: W_STRIDE,
} = WINDOW_FIELDS;

/** Per group: the price and the previous one in the rule's currency (NaN without an FX rate). */
export function prepareGroups(core: EngineCore, book: InstrumentBook, price: number, prev: number): void {
  const hot = book.hot;
  const groups = book.groupCount;
  for (let s = 0, o = GROUPS_AT, v = book.srcOffset; s < groups; s++, o += G_STRIDE, v += 2) {
    if (hot[o + G_HASFX] !== 1) {
      hot[v] = price;
      hot[v + 1] = prev;
      continue;
    }
    const group = book.groupList[s] as ConversionGroup;
    const fxBook = group.fxBookIn(core.books);
    if (fxBook === undefined || !fxBook.hasPrice) {
      hot[v] = NaN;
      hot[v + 1] = NaN;
      hot[o + G_RATE] = NaN;
      continue;
    }
    const r = fxBook.lastPrice;
    const inv = hot[o + G_INVERT] === 1;
    hot[o + G_RATE] = r;
    hot[v] = toRuleCurrency(price, r, inv);
    hot[v + 1] = prev === prev ? toRuleCurrency(prev, r, inv) : NaN;
  }
}

/**
 * Per window: the reference (re-read from history only when the window's
 * start passed the next observation), then the change in percent and, per
 * group, in amount (NaN until the window is covered).
 */
export function prepareWindows(book: InstrumentBook, price: number, tsMs: number): void {
  for (let w = 0, o = book.windowOffset; w < book.windowCount; w++, o += W_STRIDE)
    prepareWindow(book, w, o, price, tsMs);
}

/** The values of window `w`, whose numbers are at `o` in `hot` (see prepareWindows). */
export function prepareWindow(book: InstrumentBook, w: number, o: number, price: number, tsMs: number): void {
  const h = book.history;
  const hot = book.hot;
  const groups = book.groupCount;
  const tp = h.tp;
  const head = h.head;
  const end = h.end;
  const v = book.windowSrc(w);
  let ref: number;
  const back = hot[o + W_OBS] as number;
  if (back > 0) {
    const i = end - 1 - back;
    ref = i < head ? NaN : (tp[OBS * i + 1] as number);
    hot[o + W_PTR] = i;
  } else {
    const target = tsMs - (hot[o + W_MS] as number);
    if (hot[o + W_VERSION] === h.version && target < (hot[o + W_NEXT] as number)) {
      ref = hot[o + W_REF] as number;
    } else {
      let i: number;
      if (hot[o + W_VERSION] !== h.version) {
        i = h.atOrBefore(target);
        hot[o + W_VERSION] = h.version;
      } else {
        i = hot[o + W_PTR] as number;
        if (i < head) i = head - 1;
        while (i + 1 < end && (tp[OBS * i + OBS] as number) <= target) i++;
        if (i < head) i = -1;
      }
      hot[o + W_PTR] = i;
      const next = i < head ? head : i + 1;
      hot[o + W_NEXT] = next < end ? (tp[OBS * next] as number) : -Infinity;
      ref = i < 0 ? NaN : (tp[OBS * i + 1] as number);
    }
  }
  hot[o + W_REF] = ref;
  if (ref !== ref) {
    for (let k = 0; k <= groups; k++) hot[v + k] = NaN;
    return;
  }
  const pct = changePct(price, ref);
  const abs = price - ref;
  hot[o + W_PCT] = pct;
  hot[o + W_ABS] = abs;
  hot[v] = pct;
  for (let k = 0, go = GROUPS_AT; k < groups; k++, go += G_STRIDE) {
    hot[v + 1 + k] =
      hot[go + G_HASFX] === 1 ? toRuleCurrency(abs, hot[go + G_RATE] as number, hot[go + G_INVERT] === 1) : abs;
  }
}

/**
 * Keeps each duration window's cached reference on the same observation after
 * the history moved indices (a compaction dropped the front, or a late price
 * was inserted), and notes a late price that became the observation after the
 * reference. Cheaper than looking every reference up again.
 */
export function followHistory(book: InstrumentBook): void {
  const h = book.history;
  const dropped = h.dropped;
  const at = h.insertedAt;
  if (dropped === 0 && at < 0) return;
  if (at >= 0) book.historyInserted();
  else book.historyMoved();
  const hot = book.hot;
  for (let s = 0, o = book.windowOffset; s < book.windowCount; s++, o += W_STRIDE) {
    if ((hot[o + W_OBS] as number) > 0 || hot[o + W_VERSION] !== h.version) continue;
    let p = (hot[o + W_PTR] as number) - dropped;
    if (p < -1) p = -1;
    if (at >= 0) {
      if (p >= at) p++;
      else if (at === p + 1 || (p < h.head && at === h.head)) hot[o + W_NEXT] = h.timeAt(at);
    }
    hot[o + W_PTR] = p;
  }
}

/**
 * What a change alert says of its reference and change. The reference's ts
 * is rebuilt from its time (when it came in ISO form) only when an alert is
 * built: most alerts are decided, not read, right away.
 */
class SeenChange implements ChangeSeen {
  constructor(
    readonly refPrice: number,
    private readonly refAt: ObservedTs,
    readonly pct: number,
    readonly abs: number,
  ) {}

  get refTs(): string {
    return this.refAt.toString();
  }
}

/** What a change alert on this ladder's window says, built once per price. */
export function changeSeen(core: EngineCore, book: InstrumentBook, ladder: Ladder): ChangeSeen | undefined {
  const w = ladder.window;
  if (w === undefined) return undefined;
  if (w.seenStamp !== core.stamp) {
    const o = book.windowOffset + w.slot * W_STRIDE;
    const hot = book.hot;
    w.seen = new SeenChange(
      hot[o + W_REF] as number,
      book.history.observedTsAt(hot[o + W_PTR] as number),
      hot[o + W_PCT] as number,
      hot[o + W_ABS] as number,
    );
    w.seenStamp = core.stamp;
  }
  return w.seen;
}

/** The FX rate this ladder's group used, built once per price. */
export function fxUsed(core: EngineCore, book: InstrumentBook, ladder: Ladder): FxUsed | undefined {
  const g = ladder.group;
  if (g.fx === undefined || g.fxBook === undefined) return undefined;
  if (g.fxUsedStamp !== core.stamp) {
    g.fxUsed = {
      instrument: g.fx.instrument,
      rate: book.hot[GROUPS_AT + g.slot * G_STRIDE + G_RATE] as number,
      ts: g.fxBook.lastTs,
      invert: g.fx.invert,
    };
    g.fxUsedStamp = core.stamp;
  }
  return g.fxUsed;
}
