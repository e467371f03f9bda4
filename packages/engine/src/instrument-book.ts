/**
 * Everything the engine keeps per instrument: the last price, the history,
 * the ladders its rules sit on (with their packed per-price data, see
 * ladder-layout.ts), the expiry and cooldown heaps and the stale rules. A
 * ladder holds the rules that compare one value x (see compiled-rule.ts): an
 * armed index keyed by trigger and a disarmed index keyed by re-arm level.
 * Rules that share a currency, a direction and (for change rules) a window
 * share a ladder.
 */
import type { ChangeSeen, FxUsed, LastPrice } from "./explain.js";
import type { Direction, Family } from "./compiled-rule.js";
import { PriceHistory } from "./price-history.js";
import type { ObservedTs } from "./price-history.js";
import { SLOT_FIELDS } from "./instrument-slots.js";
import type { InstrumentSlots } from "./instrument-slots.js";
import { BOOK_FIELDS, LadderLayout } from "./ladder-layout.js";
import { ThresholdIndex } from "./threshold-index.js";
import { TimeHeap } from "./time-heap.js";

const { COOLDOWN_AT: B_COOLDOWN_AT, NEED_MS: B_NEED_MS, NEED_OBS: B_NEED_OBS } = BOOK_FIELDS;
const {
  LAST_PRICE: Q_LAST_PRICE,
  LAST_TS_MS: Q_LAST_TS_MS,
  LAST_SEQ: Q_LAST_SEQ,
  PRICE_COUNT: Q_PRICE_COUNT,
  EXPIRY_AT: Q_EXPIRY_AT,
} = SLOT_FIELDS;

/** A last price as an alert states it (see InstrumentBook.lastSeen). */
class LastSeen implements LastPrice {
  constructor(
    readonly price: number,
    readonly unit: string,
    private readonly at: ObservedTs,
    readonly source: string,
  ) {}

  get ts(): string {
    return this.at.toString();
  }
}

/** How a price becomes a value in a rule's currency. */
export class ConversionGroup {
  ladders = 0;
  slot = -1;
  /** the FX instrument's book, once it exists */
  fxBook: InstrumentBook | undefined = undefined;
  fxUsed: FxUsed | undefined = undefined;
  fxUsedStamp = -1;
  constructor(
    readonly key: string,
    readonly fx: { instrument: string; invert: boolean } | undefined,
  ) {}

  /** the FX instrument's book among `books`, found once it exists (a group with `fx` only) */
  fxBookIn(books: ReadonlyMap<string, InstrumentBook>): InstrumentBook | undefined {
    return (this.fxBook ??= books.get((this.fx as { instrument: string }).instrument));
  }
}

/** A change window, whose reference is looked up once per price for every rule using it. */
export class WindowRef {
  /** active change rules using it */
  rules = 0;
  slot = -1;
  seen: ChangeSeen | undefined = undefined;
  seenStamp = -1;
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
  slot = -1;
  /** the stamp of the price that last changed the ladder's indexes in a batch (its bounds synced after the batch) */
  touched = -1;
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

/**
 * Stale rules of one instrument. A rule stays in `index` while active; a gap
 * (the time since the last price, counted by the book's `priceCount`) is
 * swept in key order, once: `done` is how far the sweep of gap `gap` got. A
 * new price starts a new gap, which re-arms every rule at once without
 * touching any of them.
 */
export class StaleBook {
  rules = 0;
  /** keyed by `after`: what the sweep reads once the instrument has had a price */
  readonly index = new ThresholdIndex();
  /**
   * keyed by creation + `after`, kept only until the instrument's first price
   * (there is no price to count from before it; the first one empties it)
   */
  readonly unpriced = new ThresholdIndex();
  /** the gap the sweep is in */
  gap = -1;
  /** every rule keyed at or below this was checked in the gap (fired, cooling or already fired) */
  done = -Infinity;
  /** (handle, epoch) of rules attached during the gap at or below `done`: checked on the next clock */
  readonly added: number[] = [];
  /** due while cooling down in the current gap, keyed by the end of the cooldown */
  readonly cooling = new TimeHeap();

  /** the index the sweep reads */
  swept(hasPrice: boolean): ThresholdIndex {
    return hasPrice ? this.index : this.unpriced;
  }
}

/**
 * An instrument's state; its ladders' packed data is inherited from
 * LadderLayout for locality, and the numbers a quiet price reads and writes
 * (last price, price count, the quiet box, the history's end) are in its
 * slot of the engine's InstrumentSlots.
 *
 * The history is kept as if pruned after every new price (see
 * price-history.ts). A quiet price (quiet-price.ts) only appends, so the book
 * catches up (`settleHistory`) before anything reads the history's front or
 * changes how far back the windows reach: the next evaluated price, a rule
 * change, a snapshot.
 */
export class InstrumentBook extends LadderLayout {
  hasPrice = false;
  readonly history: PriceHistory;
  /** the price count at the history's last prune */
  private prunedAt = 0;
  /** the last price as alerts state it, for the price count `lastSeenAt` */
  private seen: LastSeen | undefined = undefined;
  private lastSeenAt = -1;

  readonly groups = new Map<string, ConversionGroup>();
  readonly windows = new Map<string, WindowRef>();
  readonly ladders = new Map<string, Ladder>();

  readonly expiry = new TimeHeap();
  readonly cooldown = new TimeHeap();
  stale: StaleBook | undefined = undefined;
  /** something became empty: drop it when the current operation ends */
  needsCleanup = false;

  constructor(
    slots: InstrumentSlots,
    slot: number,
    readonly id: string,
    readonly quoteUnit: string,
  ) {
    super(slots, slot);
    this.history = new PriceHistory(slots, slot);
  }

  get lastPrice(): number {
    return this.slots.q[this.at + Q_LAST_PRICE] as number;
  }
  set lastPrice(v: number) {
    this.slots.q[this.at + Q_LAST_PRICE] = v;
  }
  get lastTsMs(): number {
    return this.slots.q[this.at + Q_LAST_TS_MS] as number;
  }
  set lastTsMs(v: number) {
    this.slots.q[this.at + Q_LAST_TS_MS] = v;
  }
  /** PRICES stream sequence of the last in-order price */
  get lastSeq(): number {
    return this.slots.q[this.at + Q_LAST_SEQ] as number;
  }
  set lastSeq(v: number) {
    this.slots.q[this.at + Q_LAST_SEQ] = v;
  }
  /** in-order prices so far: the current stale gap */
  get priceCount(): number {
    return this.slots.q[this.at + Q_PRICE_COUNT] as number;
  }
  set priceCount(v: number) {
    this.slots.q[this.at + Q_PRICE_COUNT] = v;
  }
  /**
   * The last in-order price (the history's newest observation) as an alert
   * states it, one object until the next price: the stale alerts of one clock
   * step share it, and its ts is rebuilt only if one of them is read.
   */
  lastSeen(): LastPrice {
    const count = this.priceCount;
    if (this.seen === undefined || this.lastSeenAt !== count) {
      const h = this.history;
      const i = h.end - 1;
      this.seen = new LastSeen(this.lastPrice, this.quoteUnit, h.observedTsAt(i), h.sourceAt(i));
      this.lastSeenAt = count;
    }
    return this.seen;
  }
  /** the ts of the last in-order price, as received */
  get lastTs(): string {
    return this.lastSeen().ts;
  }
  /** the source of the last in-order price */
  get lastSource(): string {
    return this.lastSeen().source;
  }
  /** earliest expiry in `expiry` (Infinity when none) */
  get expiryAt(): number {
    return this.slots.q[this.at + Q_EXPIRY_AT] as number;
  }
  set expiryAt(v: number) {
    this.slots.q[this.at + Q_EXPIRY_AT] = v;
  }
  /** earliest end of a cooldown in `cooldown` (Infinity when none) */
  get cooldownAt(): number {
    return this.hot[B_COOLDOWN_AT] as number;
  }
  set cooldownAt(v: number) {
    this.hot[B_COOLDOWN_AT] = v;
  }
  /** longest duration window of active change rules */
  get needMs(): number {
    return this.hot[B_NEED_MS] as number;
  }
  set needMs(v: number) {
    this.hot[B_NEED_MS] = v;
  }
  /** largest observation count of active change rules */
  get needObs(): number {
    return this.hot[B_NEED_OBS] as number;
  }
  set needObs(v: number) {
    this.hot[B_NEED_OBS] = v;
  }

  /** key of a stale rule in the index the sweep reads (see StaleBook.swept) */
  staleKey(afterMs: number, createdMs: number): number {
    return this.hasPrice ? afterMs : createdMs + afterMs;
  }

  pushExpiry(time: number, h: number, epoch: number): void {
    this.expiry.push(time, h, epoch);
    if (time < this.expiryAt) this.expiryAt = time;
    this.unquiet();
  }

  pushCooldown(time: number, h: number, epoch: number): void {
    this.cooldown.push(time, h, epoch);
    if (time < this.cooldownAt) this.cooldownAt = time;
    this.unquiet();
  }

  /** drops empty ladders, windows and groups */
  cleanup(freeLadder: (id: number) => void): void {
    this.needsCleanup = false;
    let changed = false;
    for (let i = this.ladderList.length - 1; i >= 0; i--) {
      const ladder = this.ladderList[i] as Ladder;
      if (ladder.rules > 0) continue;
      this.ladders.delete(ladder.key);
      this.dropLadder(ladder);
      freeLadder(ladder.id);
      ladder.group.ladders--;
      changed = true;
    }
    for (let i = this.windowList.length - 1; i >= 0; i--) {
      const w = this.windowList[i] as WindowRef;
      if (w.rules > 0) continue;
      this.windows.delete(w.key);
      this.windowList.splice(i, 1);
      changed = true;
    }
    for (let i = this.groupList.length - 1; i >= 0; i--) {
      const g = this.groupList[i] as ConversionGroup;
      if (g.ladders > 0) continue;
      this.groups.delete(g.key);
      this.groupList.splice(i, 1);
      changed = true;
    }
    if (changed) {
      this.relayout();
      this.recomputeNeeds();
    }
  }

  /** prunes the history as the prices since its last prune would have (see the class comment) */
  settleHistory(): void {
    if (this.prunedAt !== this.priceCount) this.pruneHistory();
  }

  /** the prune after an evaluated price */
  pruneHistory(): void {
    this.history.prune(this.needMs, this.needObs);
    this.prunedAt = this.priceCount;
  }

  /** a history loaded whole (a snapshot) is as pruned as it was saved */
  historyLoaded(): void {
    this.prunedAt = this.priceCount;
  }

  recomputeNeeds(): void {
    // what the prices so far would have pruned, with the needs they saw
    this.settleHistory();
    let ms = 0;
    let obs = 0;
    for (const w of this.windowList) {
      if (w.rules === 0) continue;
      if (w.ms > ms) ms = w.ms;
      if (w.obs > obs) obs = w.obs;
    }
    this.needMs = ms;
    this.needObs = obs;
  }
}
