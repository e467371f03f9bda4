/** The last price of an instrument (the newest by its ts), read from the PRICES stream. */
import { newestPrice } from "@rea/bus";
import { jetstream } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import type { PricePort } from "./deps.js";

export function natsLastPrices(nc: NatsConnection): PricePort {
  const js = jetstream(nc);
  return {
    async last(instrument) {
      const p = await newestPrice(js, instrument);
      if (p === undefined) return undefined;
      const { price, unit, ts, source } = p;
      return { price, unit, ts, source };
    },
  };
}
