/**
 * Everything the engine keeps per instrument: the last price, the history,
 * and the ladders its rules sit on. A ladder holds the rules that compare one
 * value x (see compiled-rule.ts): an armed index keyed by trigger and a
 * disarmed index keyed by re-arm level. Rules that share a currency, a
 * direction and (for change rules) a window share a ladder, so one price
 * costs a few comparisons per ladder plus the rules that actually move.
 */
import type { ChangeSeen, FxUsed } from "./explain.js";
import type { Direction, Family } from "./compiled-rule.js";
import { PriceHistory } from "./price-history.js";
import { ThresholdIndex } from "./threshold-index.js";
import { TimeHeap } from "./time-heap.js";

/** How a price becomes a value in a rule's currency, computed once per price. */
export class ConversionGroup {
  /** ladders using this conversion */
  ladders = 0;
  /** time of the FX price behind `rate` */
  fxTs = "";
  ok = false;
  rate = NaN;
  /** the price in the rule's currency */
  price = NaN;
  /** the previous price in the rule's currency, NaN if none */
  prev = NaN;
  /** built on the first alert that needs it */
  fxUsed: FxUsed | undefined = undefined;
  constructor(
    readonly key: string,
    readonly fx: { instrument: string; invert: boolean } | undefined,
  ) {}
}

/** A change window with its reference, looked up once per price for every rule using it. */
export class WindowRef {
  rules = 0;
  /** cached physical index of the reference, valid for `ptrVersion` */
  ptr = -1;
  ptrVersion = -1;
  ok = false;
  refPrice = NaN;
  refTs = "";
  pct = NaN;
  abs = NaN;
  /** built on the first alert that needs it */
  seen: ChangeSeen | undefined = undefined;
  constructor(
    readonly key: string,
    readonly ms: number,
    readonly obs: number,
  ) {}
}

export class Ladder {
  readonly armed = new ThresholdIndex();
  readonly disarmed = new ThresholdIndex();
  rules = 0;
  /** the value compared at the current price, and the price counter it belongs to */
  x = NaN;
  xStamp = -1;
  constructor(
    readonly id: number,
    readonly key: string,
    readonly family: Family,
    readonly direction: Direction,
    readonly pct: boolean,
    readonly group: ConversionGroup,
    readonly window: WindowRef | undefined,
  ) {}
}

/** Stale rules of one instrument. */
export class StaleBook {
  rules = 0;
  /** not fired in the current gap, keyed by `after` (by creation + `after` before any price) */
  readonly armed = new ThresholdIndex();
  /** fired in the current gap */
  readonly fired: number[] = [];
  /** due while cooling down, keyed by the end of the cooldown */
  readonly cooling = new TimeHeap();
}

export class InstrumentBook {
  hasPrice = false;
  lastPrice = NaN;
  lastTs = "";
  lastTsMs = NaN;
  lastSource = "";
  lastUnit = "";
  lastSeq = 0;
  /** in-order prices so far: the current stale gap */
  priceCount = 0;
  readonly history = new PriceHistory();
  readonly groups = new Map<string, ConversionGroup>();
  groupList: ConversionGroup[] = [];
  readonly windows = new Map<string, WindowRef>();
  windowList: WindowRef[] = [];
  readonly ladders = new Map<string, Ladder>();
  ladderList: Ladder[] = [];
  /** longest duration window and largest observation count of active change rules */
  needMs = 0;
  needObs = 0;
  readonly expiry = new TimeHeap();
  readonly cooldown = new TimeHeap();
  stale: StaleBook | undefined = undefined;
  constructor(
    readonly index: number,
    readonly id: string,
    readonly quoteUnit: string,
  ) {}

  /** key of a stale rule in the stale index */
  staleKey(afterMs: number, createdMs: number): number {
    return this.hasPrice ? afterMs : createdMs + afterMs;
  }

  recomputeNeeds(): void {
    let ms = 0;
    let obs = 0;
    for (const w of this.windowList) {
      if (w.ms > ms) ms = w.ms;
      if (w.obs > obs) obs = w.obs;
    }
    this.needMs = ms;
    this.needObs = obs;
  }
}

/** Removes one element from a small array by identity. */
export function without<T>(list: T[], item: T): T[] {
  return list.filter((x) => x !== item);
}
