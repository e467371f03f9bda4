/**
 * Latency from the stored records: for every alert in ALERTS, its stream
 * timestamp and its delivery record's `at`, each minus the PRICES stream
 * timestamp of the price that fired it (`alert.price.seq`).
 */
import { TypedBucket, readStream } from "@rea/bus";
import { AlertSchema, BUCKETS, DeliveryRecordSchema, STREAMS, deliveryKey } from "@rea/contracts";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { summarise } from "./report.js";
import type { PhaseLatency } from "./report.js";
import { windowed } from "./windowed.js";

export interface AlertTimes {
  id: string;
  priceSeq: number;
  /** ALERTS stream timestamp, epoch ms */
  publishedMs: number;
  /** delivery record `at`, epoch ms; undefined when no `sent` record exists */
  deliveredMs?: number;
}

export interface Collected {
  alerts: AlertTimes[];
  /** PRICES stream timestamp by sequence, epoch ms */
  priceMs: Map<number, number>;
}

/** Reads every alert, the time of each price that fired one, and each alert's delivery record. */
export async function collect(nc: NatsConnection, channelOf: (userId: string) => string): Promise<Collected> {
  const alerts: AlertTimes[] = [];
  const users: string[] = [];
  for await (const m of readStream(nc, { stream: STREAMS.ALERTS.name })) {
    const alert = AlertSchema.parse(JSON.parse(new TextDecoder().decode(m.data)));
    alerts.push({ id: alert.id, priceSeq: alert.price.seq, publishedMs: m.time.getTime() });
    users.push(alert.userId);
  }
  const jsm = await jetstreamManager(nc);
  const seqs = [...new Set(alerts.map((a) => a.priceSeq))];
  const priceMs = new Map<number, number>();
  await windowed(seqs.length, 64, async (i) => {
    const seq = seqs[i] as number;
    const m = await jsm.streams.getMessage(STREAMS.PRICES.name, { seq });
    if (m !== null) priceMs.set(seq, m.time.getTime());
  });
  const deliveries = await TypedBucket.open(nc, BUCKETS.DELIVERIES, DeliveryRecordSchema);
  await windowed(alerts.length, 128, async (i) => {
    const a = alerts[i] as AlertTimes;
    const rec = await deliveries.get(deliveryKey(a.id, channelOf(users[i] as string)));
    if (rec?.value.status === "sent") a.deliveredMs = Date.parse(rec.value.at);
  });
  return { alerts, priceMs };
}

/**
 * Latency summaries of the alerts whose price sequence passes `inPhase`, and,
 * for the prices that fired them, client send time (`sentAt`) → PRICES timestamp.
 */
export function phaseLatency(
  c: Collected,
  sentAt: ReadonlyMap<number, number>,
  inPhase: (seq: number) => boolean,
): PhaseLatency {
  const published: number[] = [];
  const delivered: number[] = [];
  for (const a of c.alerts) {
    const priced = c.priceMs.get(a.priceSeq);
    if (!inPhase(a.priceSeq) || priced === undefined) continue;
    published.push(a.publishedMs - priced);
    if (a.deliveredMs !== undefined) delivered.push(a.deliveredMs - priced);
  }
  const stored: number[] = [];
  for (const [seq, priced] of c.priceMs) {
    const sent = sentAt.get(seq);
    if (inPhase(seq) && sent !== undefined) stored.push(priced - sent);
  }
  return { stored: summarise(stored), alertPublished: summarise(published), delivered: summarise(delivered) };
}
