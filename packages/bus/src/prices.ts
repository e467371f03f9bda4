/**
 * Prices on PRICES, published so that an instrument's newest price (by its
 * ts, not by arrival) is found with one or two reads whatever order prices
 * arrive in: a price older than the newest one stored for its instrument
 * (backfill, a feed catching up) carries that newest price's stream sequence
 * in HEADERS.NEWEST. The last message on `prices.<instrument>` is then the
 * newest price or leads to it.
 *
 * Two publishers racing on one instrument (a backfill beside a live price)
 * can leave a pointer one price behind until the instrument's next price.
 */
import { HEADERS, PriceMessageSchema, STREAMS, priceMsgId, subjects } from "@rea/contracts";
import type { PriceMessage } from "@rea/contracts";
import type { JetStreamClient, PubAck, StoredMsg } from "@nats-io/jetstream";
import { publishJson } from "./publish.js";
import type { StoredMessage } from "./stream-reader.js";

/** A stored price with its stream sequence. */
export interface StoredPrice extends PriceMessage {
  seq: number;
}

function stored(m: StoredMsg): StoredMessage {
  const headers = new Map<string, string>();
  if (m.header) for (const [k, v] of m.header) headers.set(k, v[0] ?? "");
  return { seq: m.seq, subject: m.subject, data: m.data, headers, time: m.time };
}

/** The price in a stored message, or undefined when it is not a valid price message. */
export function decodePrice(m: Pick<StoredMessage, "seq" | "data">): StoredPrice | undefined {
  try {
    const parsed = PriceMessageSchema.safeParse(JSON.parse(new TextDecoder().decode(m.data)));
    return parsed.success ? { ...parsed.data, seq: m.seq } : undefined;
  } catch {
    return undefined;
  }
}

/** The newest price stored for an instrument, by its ts (for equal times, the later publication). */
export async function newestPrice(js: JetStreamClient, instrument: string): Promise<StoredPrice | undefined> {
  const jsm = await js.jetstreamManager(false);
  const get = (q: { last_by_subj: string } | { seq: number }) =>
    jsm.streams.getMessage(STREAMS.PRICES.name, q).then(
      (m) => (m === null ? undefined : stored(m)),
      () => undefined,
    );
  const last = await get({ last_by_subj: subjects.price(instrument) });
  if (last === undefined) return undefined;
  const pointer = Number(last.headers.get(HEADERS.NEWEST));
  const newest = Number.isSafeInteger(pointer) && pointer > 0 ? await get({ seq: pointer }) : undefined;
  // a pointer to a price no longer stored (the stream's limits) leaves the last one
  return decodePrice(newest ?? last) ?? decodePrice(last);
}

/**
 * Publishes a price to PRICES with its `Nats-Msg-Id` (priceMsgId), and the
 * pointer to the newest price when it is not the newest itself.
 */
export async function publishPrice(
  js: JetStreamClient,
  p: PriceMessage,
  opts: { headers?: Record<string, string> } = {},
): Promise<PubAck> {
  const newest = await newestPrice(js, p.instrument);
  const older = newest !== undefined && Date.parse(newest.ts) > Date.parse(p.ts);
  const headers = older ? { ...opts.headers, [HEADERS.NEWEST]: String(newest.seq) } : opts.headers;
  return publishJson(js, subjects.price(p.instrument), PriceMessageSchema, p, {
    msgId: priceMsgId(p),
    ...(headers === undefined ? {} : { headers }),
  });
}
