/** The engine's state, shared by the modules that place rules and evaluate prices and the clock. */
import { DecisionList } from "./decisions.js";
import { EngineInputError } from "./errors.js";
import { HandleList } from "./handle-list.js";
import { InstrumentBook } from "./instrument-book.js";
import type { Ladder } from "./instrument-book.js";
import { InstrumentSlots } from "./instrument-slots.js";
import { RuleTable } from "./rule-table.js";
import type { EngineOptions, PriceTick } from "./types.js";

export class EngineCore {
  readonly table = new RuleTable();
  /** what a quiet price reads and writes, per instrument (books are in slot order) */
  readonly slots = new InstrumentSlots();
  readonly books = new Map<string, InstrumentBook>();
  readonly bookList: InstrumentBook[] = [];
  readonly ladders: Array<Ladder | undefined> = [];
  private readonly freeLadders: number[] = [];
  /** counts evaluated prices: a ladder's x belongs to the price whose stamp it carries */
  stamp = 0;
  /** the latest clock seen; the clock never runs backwards */
  clockMs: number | null = null;
  /** the previous price of the instrument being evaluated, NaN if none */
  prevPrice = NaN;
  /** scratch for the handles taken out of an index or collected from one (each use ends before the next) */
  readonly buf = new HandleList();
  /** scratch for the ladders a batch of changes touched (each synced once after it) */
  readonly touched: Ladder[] = [];
  /** the decisions of the price or clock step being evaluated */
  readonly decisions = new DecisionList();

  private isoMs = NaN;
  private iso = "";

  constructor(readonly opts: EngineOptions) {}

  /** the ISO form of a clock value (one clock step fires many stale rules at one time) */
  clockIso(ms: number): string {
    if (ms !== this.isoMs) {
      this.isoMs = ms;
      this.iso = new Date(ms).toISOString();
    }
    return this.iso;
  }

  /** the book of an instrument, created on first use; throws for an instrument outside the catalogue */
  book(instrument: string): InstrumentBook {
    const b = this.books.get(instrument);
    if (b !== undefined) return b;
    const unit = this.opts.unitOf(instrument);
    if (unit === undefined) throw new EngineInputError("UNKNOWN_INSTRUMENT", `unknown instrument ${instrument}`);
    const created = new InstrumentBook(this.slots, this.slots.add(instrument, unit), instrument, unit);
    this.books.set(instrument, created);
    this.bookList.push(created);
    return created;
  }

  /** the book a price goes to, after checking the price can be evaluated */
  bookForPrice(tick: PriceTick): InstrumentBook {
    const book = this.book(tick.instrument);
    if (tick.unit !== book.quoteUnit) {
      throw new EngineInputError(
        "UNIT_MISMATCH",
        `${tick.instrument} is quoted in ${book.quoteUnit}, not ${tick.unit}`,
      );
    }
    if (!(tick.price > 0) || !Number.isFinite(tick.price)) {
      throw new EngineInputError("INVALID_PRICE", `price must be a finite number > 0, got ${tick.price}`);
    }
    if (!Number.isFinite(tick.tsMs))
      throw new EngineInputError("INVALID_PRICE", `tsMs must be a finite number, got ${tick.tsMs}`);
    return book;
  }

  newLadderId(): number {
    return this.freeLadders.pop() ?? this.ladders.length;
  }

  /** drops what became empty in a book during the operation that is ending */
  cleanup(book: InstrumentBook): void {
    if (!book.needsCleanup) return;
    book.cleanup((id) => {
      this.ladders[id] = undefined;
      this.freeLadders.push(id);
    });
  }
}
