/** The price port over JetStream: publish to PRICES, read the last price and history back. */
import { lastOnSubject, publishJson, readStream } from "@rea/bus";
import { HEADERS, PriceMessageSchema, STREAMS, priceMsgId, subjects } from "@rea/contracts";
import type { PriceMessage } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import type { PricePort, StoredPrice } from "./deps.js";

function decode(seq: number, data: Uint8Array): StoredPrice | undefined {
  try {
    const parsed = PriceMessageSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    return parsed.success ? { ...parsed.data, seq } : undefined;
  } catch {
    return undefined;
  }
}

export function natsPrices(nc: NatsConnection): PricePort {
  const js = jetstream(nc);
  return {
    async publish(p: PriceMessage, opts: { alerts: boolean }) {
      const ack = await publishJson(js, subjects.price(p.instrument), PriceMessageSchema, p, {
        msgId: priceMsgId(p),
        ...(opts.alerts ? {} : { headers: { [HEADERS.ALERTS]: "off" } }),
      });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
    async last(instrument: string) {
      const m = await lastOnSubject(nc, STREAMS.PRICES.name, subjects.price(instrument));
      return m === undefined ? undefined : decode(m.seq, m.data);
    },
    async history(instrument, opts) {
      const out: StoredPrice[] = [];
      for await (const m of readStream(nc, {
        stream: STREAMS.PRICES.name,
        filterSubject: subjects.price(instrument),
      })) {
        const p = decode(m.seq, m.data);
        if (p === undefined) continue;
        const ts = Date.parse(p.ts);
        if (opts.fromMs !== undefined && ts < opts.fromMs) continue;
        if (opts.toMs !== undefined && ts > opts.toMs) continue;
        out.push(p);
      }
      // observation order; for equal times, the later publication wins its place
      out.sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts) || a.seq - b.seq);
      return out.slice(-opts.limit);
    },
  };
}
