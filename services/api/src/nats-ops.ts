/**
 * The operations port over NATS: service instances from `$SRV.STATS`, the lag
 * of the durable consumers of PRICES and ALERTS, and failed deliveries read in
 * one pass over the deliveries bucket's stream.
 */
import { collectServiceStats, readStream } from "@rea/bus";
import { BUCKETS, DeliveryRecordSchema, STREAMS } from "@rea/contracts";
import type { ConsumerLag, DeliveryRecord, ServiceInstance } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import type { OpsPort } from "./deps.js";

export interface NatsOpsOptions {
  /** how long to collect `$SRV.STATS` replies */
  collectMs?: number;
}

function decodeDelivery(data: Uint8Array): DeliveryRecord | undefined {
  try {
    const parsed = DeliveryRecordSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function natsOps(nc: NatsConnection, opts: NatsOpsOptions = {}): OpsPort {
  return {
    async services() {
      const stats = await collectServiceStats(nc, opts.collectMs ?? 500);
      const out: ServiceInstance[] = stats.map((s) => ({
        name: String(s.name),
        id: String(s.id),
        version: String(s.version),
        started: String(s.started),
        status: asRecord(s.endpoints?.[0]?.data),
      }));
      return out.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    },

    async consumers() {
      const jsm = await jetstreamManager(nc);
      const out: ConsumerLag[] = [];
      for (const stream of [STREAMS.PRICES.name, STREAMS.ALERTS.name]) {
        for await (const ci of jsm.consumers.list(stream)) {
          // ordered consumers of history reads are not durable: only the services' consumers count
          if (ci.config.durable_name === undefined) continue;
          out.push({
            stream,
            consumer: ci.name,
            pending: ci.num_pending,
            ackPending: ci.num_ack_pending,
            redelivered: ci.num_redelivered,
          });
        }
      }
      return out.sort((a, b) => a.stream.localeCompare(b.stream) || a.consumer.localeCompare(b.consumer));
    },

    async deliveryFailures(recent) {
      let count = 0;
      const failed: DeliveryRecord[] = [];
      for await (const m of readStream(nc, { stream: `KV_${BUCKETS.DELIVERIES}` })) {
        const op = m.headers.get("KV-Operation");
        if (op === "DEL" || op === "PURGE") continue;
        const rec = decodeDelivery(m.data);
        if (rec?.status !== "failed") continue;
        count++;
        failed.push(rec);
        if (failed.length >= 2 * Math.max(recent, 1)) keepNewest(failed, recent);
      }
      keepNewest(failed, recent);
      return { count, recent: failed };
    },
  };
}

function asRecord(v: unknown): Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** Sorts newest first and keeps `n`. */
function keepNewest(records: DeliveryRecord[], n: number): void {
  records.sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  records.splice(n);
}
