/** The price port over JetStream: publish to PRICES, read the newest price and history back. */
import { decodePrice, newestPrice, publishPrice, readStream } from "@rea/bus";
import { HEADERS, STREAMS, subjects } from "@rea/contracts";
import type { PriceMessage } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstream } from "@nats-io/jetstream";
import type { PricePort, StoredPrice } from "./deps.js";

export function natsPrices(nc: NatsConnection): PricePort {
  const js = jetstream(nc);
  return {
    async publish(p: PriceMessage, opts: { alerts: boolean }) {
      const ack = await publishPrice(js, p, opts.alerts ? {} : { headers: { [HEADERS.ALERTS]: "off" } });
      return { seq: ack.seq, duplicate: ack.duplicate };
    },
    last(instrument: string) {
      return newestPrice(js, instrument);
    },
    async history(instrument, opts) {
      const out: StoredPrice[] = [];
      for await (const m of readStream(nc, {
        stream: STREAMS.PRICES.name,
        filterSubject: subjects.price(instrument),
      })) {
        const p = decodePrice(m);
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
