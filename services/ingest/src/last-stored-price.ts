/** The newest price the PRICES stream holds for an instrument: the outlier guard's reference after a restart. */
import { newestPrice } from "@rea/bus";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Observed } from "./outlier-guard.js";

export function lastStoredPrice(nc: NatsConnection): (instrument: string) => Promise<Observed | undefined> {
  const js = jetstream(nc);
  return async (instrument) => {
    const p = await newestPrice(js, instrument);
    return p === undefined ? undefined : { price: p.price, tsMs: Date.parse(p.ts) };
  };
}
