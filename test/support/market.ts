/** Seeded rules and price paths for crash and scale-out tests, starting from the SMM figures. */
import { readStream } from "@rea/bus";
import { AlertSchema, INSTRUMENT_CATALOGUE, PriceMessageSchema, STREAMS } from "@rea/contracts";
import type { Alert, PriceMessage, Rule } from "@rea/contracts";
import { ReferenceEvaluator } from "@rea/engine";
import type { NatsConnection } from "@nats-io/nats-core";

export function mulberry32(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const START: Record<string, { price: number; unit: string; step: number }> = {
  PRND_OXIDE: { price: 415000, unit: "CNY/t", step: 500 },
  TB_OXIDE: { price: 5940, unit: "CNY/kg", step: 5 },
  DY_OXIDE: { price: 1665, unit: "CNY/kg", step: 5 },
  ND_OXIDE: { price: 610000, unit: "CNY/t", step: 500 },
};

/** A random walk (0-3% steps, an occasional 10% jump) over the instruments, one price an hour. */
export function pricePath(seed: number, count: number, startMs: number): PriceMessage[] {
  const rnd = mulberry32(seed);
  const level = Object.fromEntries(Object.entries(START).map(([k, v]) => [k, v.price]));
  const ids = Object.keys(START);
  const out: PriceMessage[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[Math.floor(rnd() * ids.length)]!;
    const spec = START[id]!;
    const jump = rnd() < 0.03 ? 0.1 : 0.03;
    const next = level[id]! * (1 + (rnd() * 2 - 1) * jump);
    level[id] = Math.max(spec.step, Math.round(next / spec.step) * spec.step);
    out.push({
      instrument: id,
      price: level[id],
      unit: spec.unit,
      ts: new Date(startMs + i * 3_600_000).toISOString(),
      source: "sim",
    });
  }
  return out;
}

/** Level, edge and change rules around the start prices, spread over users. */
export function ruleSet(seed: number, count: number, createdAt: string): Rule[] {
  const rnd = mulberry32(seed);
  const ids = Object.keys(START);
  const rules: Rule[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids[i % ids.length]!;
    const spec = START[id]!;
    const value = Math.round((spec.price * (0.85 + rnd() * 0.3)) / spec.step) * spec.step;
    const kind = Math.floor(rnd() * 5);
    const condition: Rule["condition"] =
      kind === 0
        ? { type: "above", value }
        : kind === 1
          ? { type: "below", value }
          : kind === 2
            ? { type: "cross_up", value }
            : kind === 3
              ? { type: "cross_down", value }
              : {
                  type: "change",
                  direction: rnd() < 0.5 ? "up" : "any",
                  pct: 2 + Math.floor(rnd() * 6),
                  window: rnd() < 0.5 ? "1d" : { obs: 3 },
                };
    rules.push({
      id: `r_crash${String(i).padStart(6, "0")}`,
      userId: `u_crash${String(i % 7).padStart(6, "0")}`,
      revision: 1,
      instrument: id,
      condition,
      unit: spec.unit,
      ...(rnd() < 0.5 ? { rearm: { pct: 1 } } : {}),
      ...(rnd() < 0.3 ? { cooldown: "6h" } : {}),
      once: rnd() < 0.1,
      expiresAt: null,
      channels: ["email"],
      enabled: true,
      createdAt,
      updatedAt: createdAt,
    });
  }
  return rules;
}

/** Every alert in the ALERTS stream, in stream order. */
export async function storedAlerts(conn: NatsConnection): Promise<Alert[]> {
  const out: Alert[] = [];
  for await (const m of readStream(conn, { stream: STREAMS.ALERTS.name })) {
    out.push(AlertSchema.parse(JSON.parse(new TextDecoder().decode(m.data))));
  }
  return out;
}

/** What the reference evaluator fires for the prices in PRICES, with their stream sequences. */
export async function referenceAlerts(conn: NatsConnection, rules: Rule[]): Promise<Alert[]> {
  const units = new Map(INSTRUMENT_CATALOGUE.map((i) => [i.id, i.unit]));
  const ref = new ReferenceEvaluator({ unitOf: (id) => units.get(id) });
  for (const r of rules) ref.upsertRule(r);
  const out: Alert[] = [];
  for await (const m of readStream(conn, { stream: STREAMS.PRICES.name })) {
    const p = PriceMessageSchema.parse(JSON.parse(new TextDecoder().decode(m.data)));
    for (const d of ref.onPrice({ ...p, tsMs: Date.parse(p.ts), seq: m.seq }))
      if (d.kind === "alert") out.push(d.alert);
  }
  return out;
}
