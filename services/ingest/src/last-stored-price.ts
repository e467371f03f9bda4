/** The last price the PRICES stream holds for an instrument: the outlier guard's reference after a restart. */
import { lastOnSubject } from "@rea/bus";
import { PriceMessageSchema, STREAMS, subjects } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Observed } from "./outlier-guard.js";

export function lastStoredPrice(nc: NatsConnection): (instrument: string) => Promise<Observed | undefined> {
  return async (instrument) => {
    const m = await lastOnSubject(nc, STREAMS.PRICES.name, subjects.price(instrument));
    if (m === undefined) return undefined;
    let data: unknown;
    try {
      data = JSON.parse(new TextDecoder().decode(m.data));
    } catch {
      return undefined;
    }
    const p = PriceMessageSchema.safeParse(data);
    return p.success ? { price: p.data.price, tsMs: Date.parse(p.data.ts) } : undefined;
  };
}
