/** Puts an active rule on its ladder (or in its instrument's stale book) and takes it off again. */
import { FAMILY, needsFx } from "./compiled-rule.js";
import type { CompiledRule } from "./compiled-rule.js";
import { finished } from "./decisions.js";
import type { DecisionList } from "./decisions.js";
import type { EngineCore } from "./engine-core.js";
import { ConversionGroup, Ladder, StaleBook, WindowRef } from "./instrument-book.js";
import type { InstrumentBook } from "./instrument-book.js";
import { FINISH, PHASE, REC, REC_BYTES, RULE_FIELDS, RULE_FLAGS } from "./rule-table.js";

const { ORDER: R_ORDER, REARM: R_REARM, TRIGGER: R_TRIGGER } = RULE_FIELDS;
const { ARMED: F_ARMED, PHASE: F_PHASE } = RULE_FLAGS;

/** the conversion group a rule converts in: "" without FX, else the FX instrument and how it applies */
function groupKeyOf(c: CompiledRule): string {
  const fx = needsFx(c) ? c.conversion.fx : undefined;
  return fx === undefined ? "" : `${fx.instrument}${fx.invert ? "/" : "*"}`;
}

/** the ladder a rule sits on within its instrument's book: family, direction, pct or amount, group, window */
export function ladderKey(c: CompiledRule): string {
  return `${c.family}|${c.direction}|${c.pct ? 1 : 0}|${groupKeyOf(c)}|${c.window?.key ?? ""}`;
}

function ladderFor(core: EngineCore, book: InstrumentBook, c: CompiledRule): Ladder {
  const fx = needsFx(c) ? c.conversion.fx : undefined;
  const groupKey = groupKeyOf(c);
  const windowKey = c.window?.key ?? "";
  const key = ladderKey(c);
  const existing = book.ladders.get(key);
  if (existing !== undefined) return existing;
  let group = book.groups.get(groupKey);
  if (group === undefined) {
    group = new ConversionGroup(groupKey, fx);
    book.groups.set(groupKey, group);
    book.addGroup(group);
  }
  let window: WindowRef | undefined;
  if (c.window !== undefined) {
    window = book.windows.get(windowKey);
    if (window === undefined) {
      window = new WindowRef(windowKey, c.window.ms, c.window.obs);
      book.windows.set(windowKey, window);
      book.addWindow(window);
    }
  }
  group.ladders++;
  const ladder = new Ladder(core.newLadderId(), key, c.family, c.direction, c.pct, group, window);
  core.ladders[ladder.id] = ladder;
  book.ladders.set(key, ladder);
  book.addLadder(ladder);
  return ladder;
}

/** Places an active rule by its phase memory: armed or disarmed, fired in this gap or not. */
export function attach(core: EngineCore, h: number, c: CompiledRule, book: InstrumentBook): void {
  const t = core.table;
  t.book[h] = book.slot;
  if (c.family === FAMILY.STALE) {
    const s = (book.stale ??= new StaleBook());
    s.rules++;
    t.ladder[h] = -1;
    t.flags[REC_BYTES * h + F_PHASE] = PHASE.STALE;
    const after = t.rec[REC * h + R_TRIGGER] as number;
    const key = book.staleKey(after, t.rec[REC * h + R_REARM] as number);
    s.index.insert(after, h);
    if (!book.hasPrice) s.unpriced.insert(key, h);
    // the gap's sweep is past this key: the next clock checks the rule on its own
    if (s.gap === book.priceCount && key <= s.done) s.added.push(h, t.epoch[h] as number);
  } else {
    const ladder = ladderFor(core, book, c);
    ladder.rules++;
    if (ladder.window !== undefined && ladder.window.rules++ === 0) book.recomputeNeeds();
    t.ladder[h] = ladder.id;
    if (t.flags[REC_BYTES * h + F_ARMED] === 1) {
      t.flags[REC_BYTES * h + F_PHASE] = PHASE.ARMED;
      ladder.armed.insert(t.rec[REC * h + R_TRIGGER] as number, h);
    } else {
      t.flags[REC_BYTES * h + F_PHASE] = PHASE.DISARMED;
      ladder.disarmed.insert(t.rec[REC * h + R_REARM] as number, h);
    }
    book.syncLadder(ladder);
  }
  const exp = t.expiresMs[h] as number;
  if (exp !== Infinity) book.pushExpiry(exp, h, t.epoch[h] as number);
}

/**
 * Takes an active rule out of wherever it sits; its heap entries die with the
 * epoch. Empty ladders and windows stay until `core.cleanup`.
 *
 * With `leaveEntry` (a rule that expires), a rule armed or disarmed on a
 * ladder leaves its entry in the ladder's index, dead: removing it is a
 * search of the index's chunks, several cache misses, for an entry that
 * changes nothing. `t.ladder` keeps the ladder's id while the dead entry is
 * there. The ladder's bounds keep its key, which only narrows the quiet box;
 * the price that reaches the key takes the entry out and skips it (see
 * openLadder), and before the handle is placed again or freed the entry is
 * removed (dropDeadEntry), so a dead entry never stands for a live rule.
 */
export function detach(core: EngineCore, h: number, leaveEntry = false): void {
  const t = core.table;
  const book = core.bookList[t.book[h] as number] as InstrumentBook;
  const phase = t.flags[REC_BYTES * h + F_PHASE];
  if (phase === PHASE.STALE) {
    const s = book.stale as StaleBook;
    const after = t.rec[REC * h + R_TRIGGER] as number;
    s.index.remove(after, h);
    if (!book.hasPrice) s.unpriced.remove(book.staleKey(after, t.rec[REC * h + R_REARM] as number), h);
    s.rules--;
    t.ladder[h] = -1;
  } else {
    const ladder = core.ladders[t.ladder[h] as number] as Ladder;
    // a rule taken out to fire, or cooling down, is in neither index: the ladder's bounds stay (the
    // caller of a firing syncs the ladder once; a cooldown's end only ends the box earlier than needed)
    const indexed = phase === PHASE.ARMED || phase === PHASE.DISARMED;
    if (indexed && !leaveEntry) {
      if (phase === PHASE.ARMED) ladder.armed.remove(t.rec[REC * h + R_TRIGGER] as number, h);
      else ladder.disarmed.remove(t.rec[REC * h + R_REARM] as number, h);
      book.syncLadder(ladder);
    }
    const w = ladder.window;
    if (w !== undefined && --w.rules === 0) {
      book.recomputeNeeds();
      book.needsCleanup = true;
    }
    if (--ladder.rules === 0) book.needsCleanup = true;
    t.ladder[h] = indexed && leaveEntry ? ladder.id : -1;
  }
  t.epoch[h] = ((t.epoch[h] as number) + 1) >>> 0;
}

/**
 * Removes the dead index entry an expired rule left (see detach), if the
 * price that reaches its key has not taken it out already: before the
 * rule's handle is placed again (an edit) or freed. A ladder emptied and
 * dropped since took its entries with it (its id may belong to another
 * ladder by now, which holds no entry of this rule).
 */
export function dropDeadEntry(core: EngineCore, h: number): void {
  const t = core.table;
  const id = t.ladder[h] as number;
  if (id < 0 || t.flags[REC_BYTES * h + F_PHASE] !== PHASE.FINISHED) return;
  t.ladder[h] = -1;
  const ladder = core.ladders[id];
  if (ladder === undefined) return;
  const removed =
    t.flags[REC_BYTES * h + F_ARMED] === 1
      ? ladder.armed.remove(t.rec[REC * h + R_TRIGGER] as number, h)
      : ladder.disarmed.remove(t.rec[REC * h + R_REARM] as number, h);
  if (removed) (core.bookList[t.book[h] as number] as InstrumentBook).syncLadder(ladder);
}

export function isActive(phase: number): boolean {
  return phase !== PHASE.FINISHED && phase !== PHASE.DISABLED && phase !== PHASE.FREE;
}

/** Ends an active rule and says so (an expired one leaves its index entry dead, see detach). */
export function finish(core: EngineCore, h: number, reason: "once" | "expired", out: DecisionList): void {
  const t = core.table;
  detach(core, h, reason === "expired");
  t.flags[REC_BYTES * h + F_PHASE] = PHASE.FINISHED;
  t.finish[h] = reason === "once" ? FINISH.ONCE : FINISH.EXPIRED;
  if (reason === "expired") t.finishedExpiresMs[h] = t.expiresMs[h] as number;
  out.push(finished(t.ids[h] as string, t.revision[h] as number, reason), t.rec[REC * h + R_ORDER] as number);
}

/** Finishes the rules of a book whose `expiresAt` is at or before `nowMs`. */
export function expireDue(core: EngineCore, book: InstrumentBook, nowMs: number, out: DecisionList): void {
  const heap = book.expiry;
  const epoch = core.table.epoch;
  while (heap.size > 0 && heap.peekTime() <= nowMs) {
    const h = heap.peekHandle();
    const e = heap.peekEpoch();
    heap.pop();
    if (epoch[h] === e) finish(core, h, "expired", out);
  }
  book.expiryAt = heap.peekTime();
}
