/** The alert port over JetStream: a user's alerts from the ALERTS stream, their deliveries from the KV bucket. */
import { TypedBucket, readStream } from "@rea/bus";
import { AlertSchema, BUCKETS, DeliveryRecordSchema, STREAMS, deliveryKey, subjects } from "@rea/contracts";
import type { DeliveryRecord } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import type { AlertPort, StoredAlert } from "./deps.js";

function decode(data: Uint8Array): StoredAlert["alert"] | undefined {
  try {
    const parsed = AlertSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function natsAlerts(nc: NatsConnection): Promise<AlertPort> {
  const deliveries = await TypedBucket.open<DeliveryRecord>(nc, BUCKETS.DELIVERIES, DeliveryRecordSchema);
  return {
    async ofUser(userId, opts) {
      const out: StoredAlert[] = [];
      for await (const m of readStream(nc, { stream: STREAMS.ALERTS.name, filterSubject: subjects.alert(userId) })) {
        if (opts.sinceMs !== undefined && m.time.getTime() < opts.sinceMs) continue;
        const alert = decode(m.data);
        // the subject is the owner: an alert whose body names someone else is not shown to anyone
        if (alert === undefined || alert.userId !== userId) continue;
        out.push({ alert, seq: m.seq, publishedAt: m.time.toISOString() });
        if (out.length >= 2 * opts.limit) out.splice(0, out.length - opts.limit);
      }
      return out.slice(-opts.limit);
    },
    async delivery(alertId, channelId) {
      return (await deliveries.get(deliveryKey(alertId, channelId)))?.value;
    },
  };
}
