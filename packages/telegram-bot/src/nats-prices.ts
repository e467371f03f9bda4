/** The last price of an instrument, read from the PRICES stream. */
import { lastOnSubject } from "@rea/bus";
import { PriceMessageSchema, STREAMS, subjects } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import type { LastPrice, PricePort } from "./deps.js";

function decode(data: Uint8Array): LastPrice | undefined {
  try {
    const parsed = PriceMessageSchema.safeParse(JSON.parse(new TextDecoder().decode(data)));
    if (!parsed.success) return undefined;
    const { price, unit, ts, source } = parsed.data;
    return { price, unit, ts, source };
  } catch {
    return undefined;
  }
}

export function natsLastPrices(nc: NatsConnection): PricePort {
  return {
    async last(instrument) {
      const m = await lastOnSubject(nc, STREAMS.PRICES.name, subjects.price(instrument));
      return m === undefined ? undefined : decode(m.data);
    },
  };
}
