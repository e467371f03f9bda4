/**
 * The reference evaluator: the rule contract written as plainly as possible,
 * every rule of the instrument checked on every price. It is the oracle the
 * property tests hold RuleEngine to, and the baseline of the benchmark.
 */
import type { Rule } from "@rea/contracts";
import { FAMILY, changePct, compileRule, directed, needsFx } from "./compiled-rule.js";
import { finished, isCooling, sortDecisions } from "./decisions.js";
import { EngineInputError } from "./errors.js";
import { priceAlert, staleAlert } from "./explain.js";
import type { ChangeSeen, FxUsed } from "./explain.js";
import { addObservation, latestAtOrBefore, pruneHistory } from "./reference-history.js";
import { ReferenceState } from "./reference-state.js";
import type { Entry } from "./reference-state.js";
import type { Decision, EngineOptions, EngineSnapshot, PriceTick, RuleMemory, RuleStateView } from "./types.js";
import { toRuleCurrency } from "./unit-conversion.js";

/** What a rule compares at a price: its value x, the previous price's, and what an alert would say. */
interface Seen {
  x: number;
  xPrev: number;
  fx: FxUsed | undefined;
  change: ChangeSeen | undefined;
}

export class ReferenceEvaluator {
  private readonly s: ReferenceState;

  constructor(
    private readonly opts: EngineOptions,
    state?: ReferenceState,
  ) {
    this.s = state ?? new ReferenceState();
  }

  private quoteUnit(instrument: string): string {
    const unit = this.opts.unitOf(instrument);
    if (unit === undefined) throw new EngineInputError("UNKNOWN_INSTRUMENT", `unknown instrument ${instrument}`);
    return unit;
  }

  private active(e: Entry): boolean {
    return e.rule.enabled && e.m.finished === null;
  }

  /** Seen at price p (previous price prev) at time t; undefined when the rule cannot be evaluated. */
  private see(e: Entry, p: number, prev: number | undefined, t: number): Seen | undefined {
    const c = e.c;
    const inst = this.s.instruments.get(e.rule.instrument);
    if (inst === undefined) return undefined;
    let fx: FxUsed | undefined;
    if (needsFx(c) && c.conversion.fx !== undefined) {
      const last = this.s.instruments.get(c.conversion.fx.instrument)?.last;
      if (last === undefined) return undefined;
      fx = { instrument: c.conversion.fx.instrument, rate: last.price, ts: last.ts, invert: c.conversion.fx.invert };
    }
    const conv = (v: number): number => (fx === undefined ? v : toRuleCurrency(v, fx.rate, fx.invert));
    if (c.family === FAMILY.LEVEL || c.family === FAMILY.CROSS) {
      const xPrev = prev === undefined ? NaN : directed(c.direction, conv(prev));
      return { x: directed(c.direction, conv(p)), xPrev, fx, change: undefined };
    }
    const w = c.window;
    if (w === undefined) return undefined;
    const list = inst.list;
    const i = w.obs > 0 ? list.length - 1 - w.obs : latestAtOrBefore(list, t - w.ms);
    const ref = list[i];
    if (ref === undefined) return undefined;
    const change = { refPrice: ref.price, refTs: ref.ts, pct: changePct(p, ref.price), abs: p - ref.price };
    return { x: directed(c.direction, c.pct ? change.pct : conv(change.abs)), xPrev: NaN, fx, change };
  }

  upsertRule(rule: Rule): void {
    const old = this.s.rules.get(rule.id);
    if (old !== undefined && old.rule.revision >= rule.revision) return;
    const c = compileRule(rule, this.quoteUnit(rule.instrument));
    const m: RuleMemory = old?.m ?? {
      armed: true,
      finished: null,
      finishedExpiresMs: null,
      firedCount: 0,
      lastFiredMs: null,
      lastFiredAt: null,
      staleGap: null,
    };
    let stillFinished: RuleMemory["finished"] = null;
    if (m.finished === "once" && rule.once) stillFinished = "once";
    if (m.finished === "expired" && m.finishedExpiresMs !== null && c.expiresMs <= m.finishedExpiresMs)
      stillFinished = "expired";
    const entry: Entry = { rule, c, m: { ...m, finished: stillFinished } };
    if (stillFinished !== "expired") entry.m.finishedExpiresMs = null;
    if (old?.rule.instrument !== rule.instrument) entry.m.staleGap = null;
    if (c.family === FAMILY.STALE) {
      entry.m.armed = true;
    } else if (!m.armed) {
      const last = this.s.instruments.get(rule.instrument)?.last;
      const now = last === undefined ? undefined : this.see(entry, last.price, undefined, last.tsMs);
      if (now !== undefined && now.x < c.rearm) entry.m.armed = true;
    }
    this.s.put(entry, old);
  }

  removeRule(ruleId: string): void {
    this.s.remove(ruleId);
  }

  private finish(e: Entry, reason: "once" | "expired", out: Decision[]): void {
    e.m.finished = reason;
    if (reason === "expired") e.m.finishedExpiresMs = e.c.expiresMs;
    out.push(finished(e.rule.id, e.rule.revision, reason));
  }

  private fired(e: Entry, atMs: number, at: string, out: Decision[]): void {
    e.m.firedCount++;
    e.m.lastFiredMs = atMs;
    e.m.lastFiredAt = at;
    if (e.rule.once) this.finish(e, "once", out);
  }

  onPrice(tick: PriceTick): Decision[] {
    const unit = this.quoteUnit(tick.instrument);
    if (tick.unit !== unit)
      throw new EngineInputError("UNIT_MISMATCH", `${tick.instrument} is quoted in ${unit}, not ${tick.unit}`);
    if (!(tick.price > 0) || !Number.isFinite(tick.price))
      throw new EngineInputError("INVALID_PRICE", `bad price ${tick.price}`);
    if (!Number.isFinite(tick.tsMs)) throw new EngineInputError("INVALID_PRICE", `bad tsMs ${tick.tsMs}`);
    const inst = this.s.instrument(tick.instrument);
    const arrival = addObservation(inst, { tsMs: tick.tsMs, price: tick.price, ts: tick.ts, source: tick.source });
    if (arrival !== "new") return [];
    const prev = inst.last?.price;
    inst.last = {
      tsMs: tick.tsMs,
      price: tick.price,
      ts: tick.ts,
      source: tick.source,
      seq: tick.seq,
      unit: tick.unit,
    };
    inst.priceCount++;
    const out: Decision[] = [];
    const own = this.s.byInstrument.get(tick.instrument)?.values() ?? [];
    for (const e of own) {
      if (!this.active(e)) continue;
      if (e.c.expiresMs <= tick.tsMs) {
        this.finish(e, "expired", out);
        continue;
      }
      if (e.c.family === FAMILY.STALE) continue;
      const s = this.see(e, tick.price, prev, tick.tsMs);
      if (s === undefined) continue;
      if (!e.m.armed) {
        if (s.x < e.c.rearm) e.m.armed = true;
        continue;
      }
      const hit = e.c.family === FAMILY.CROSS ? s.xPrev < e.c.trigger && s.x >= e.c.trigger : s.x >= e.c.trigger;
      if (!hit || isCooling(e.m.lastFiredMs ?? NaN, e.c.cooldownMs, tick.tsMs)) continue;
      const alert = priceAlert({
        rule: e.rule,
        massFactor: e.c.conversion.massFactor,
        tick,
        quoteUnit: unit,
        prevPrice: prev,
        fx: s.fx,
        change: s.change,
      });
      out.push({ kind: "alert", ruleId: alert.ruleId, alert });
      e.m.armed = false;
      this.fired(e, tick.tsMs, tick.ts, out);
    }
    let needMs = 0;
    let needObs = 0;
    for (const e of this.s.byInstrument.get(tick.instrument)?.values() ?? []) {
      const w = e.c.window;
      if (!this.active(e) || w === undefined) continue;
      needMs = Math.max(needMs, w.ms);
      needObs = Math.max(needObs, w.obs);
    }
    pruneHistory(inst, needMs, needObs);
    return sortDecisions(out);
  }

  onClock(nowMs: number): Decision[] {
    const now = this.s.clockMs !== null && this.s.clockMs > nowMs ? this.s.clockMs : nowMs;
    this.s.clockMs = now;
    const out: Decision[] = [];
    for (const e of this.s.rules.values()) {
      if (!this.active(e)) continue;
      if (e.c.expiresMs <= now) {
        this.finish(e, "expired", out);
        continue;
      }
      if (e.c.family !== FAMILY.STALE) continue;
      const inst = this.s.instruments.get(e.rule.instrument);
      const gap = inst?.priceCount ?? 0;
      if (e.m.staleGap === gap) continue;
      const last = inst?.last;
      const hours = this.opts.calendarOf?.(e.rule.instrument);
      if (hours !== undefined && !hours.isOpen(now)) continue;
      const quiet =
        last === undefined ? 0 : hours === undefined ? now - last.tsMs : hours.openMsBetween(last.tsMs, now);
      const due = last === undefined ? e.c.createdMs + e.c.afterMs <= now : e.c.afterMs <= quiet;
      if (!due || isCooling(e.m.lastFiredMs ?? NaN, e.c.cooldownMs, now)) continue;
      const unit = this.quoteUnit(e.rule.instrument);
      const alert = staleAlert(e.rule, unit, last, last?.seq ?? 0, now);
      out.push({ kind: "alert", ruleId: alert.ruleId, alert });
      e.m.staleGap = gap;
      this.fired(e, now, alert.firedAt, out);
    }
    return sortDecisions(out);
  }

  ruleState(ruleId: string): RuleStateView | undefined {
    const e = this.s.rules.get(ruleId);
    if (e === undefined) return undefined;
    const view: RuleStateView = { ruleId, revision: e.rule.revision, status: "armed", firedCount: e.m.firedCount };
    if (e.m.lastFiredAt !== null) view.lastFiredAt = e.m.lastFiredAt;
    if (!e.rule.enabled) {
      view.status = "disabled";
      return view;
    }
    if (e.m.finished !== null) {
      view.status = "finished";
      view.finishedReason = e.m.finished;
      return view;
    }
    const inst = this.s.instruments.get(e.rule.instrument);
    if (e.c.family === FAMILY.STALE) {
      view.status = e.m.staleGap === (inst?.priceCount ?? 0) ? "disarmed" : "armed";
      return view;
    }
    const last = inst?.last;
    const fx = needsFx(e.c) ? e.c.conversion.fx : undefined;
    if (last === undefined) view.waitingFor = "price";
    else if (fx !== undefined && this.s.instruments.get(fx.instrument)?.last === undefined) view.waitingFor = "fx";
    else if (this.see(e, last.price, undefined, last.tsMs) === undefined) view.waitingFor = "history";
    if (view.waitingFor !== undefined) view.status = "waiting";
    else view.status = e.m.armed ? "armed" : "disarmed";
    return view;
  }

  ruleCount(): number {
    return this.s.rules.size;
  }

  snapshot(): EngineSnapshot {
    return this.s.toSnapshot();
  }

  static restore(snapshot: EngineSnapshot, opts: EngineOptions): ReferenceEvaluator {
    const quoteUnit = (id: string): string => {
      const unit = opts.unitOf(id);
      if (unit === undefined) throw new EngineInputError("UNKNOWN_INSTRUMENT", `unknown instrument ${id}`);
      return unit;
    };
    return new ReferenceEvaluator(opts, ReferenceState.fromSnapshot(snapshot, quoteUnit));
  }
}
