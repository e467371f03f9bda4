/**
 * Reads a stream (or one subject of it) from a sequence to its current end with
 * an ordered consumer: for history queries, catch-up after a restart, previews.
 * It stops at the last message that existed when it started, so it never waits
 * for new messages.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { DeliverPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

export interface StoredMessage {
  seq: number;
  subject: string;
  data: Uint8Array;
  headers: ReadonlyMap<string, string>;
  /** when the stream stored it */
  time: Date;
}

export interface ReadOptions {
  stream: string;
  /** one subject or wildcard (a single filter works on nats-server 2.9) */
  filterSubject?: string;
  /** first sequence to read (default: the beginning) */
  fromSeq?: number;
  /** last sequence to read (default: the stream's end when reading starts) */
  toSeq?: number;
  batch?: number;
}

/**
 * @example for await (const m of readStream(nc, { stream: "PRICES", filterSubject: "prices.PRND_OXIDE" })) { ... }
 */
export async function* readStream(nc: NatsConnection, opts: ReadOptions): AsyncGenerator<StoredMessage> {
  const end = opts.toSeq ?? (await endOf(nc, opts));
  const from = opts.fromSeq ?? 1;
  if (end === 0 || from > end) return;
  const js = jetstream(nc);
  const oc = await js.consumers.get(opts.stream, {
    ...(opts.filterSubject === undefined ? {} : { filter_subjects: opts.filterSubject }),
    deliver_policy: from <= 1 ? DeliverPolicy.All : DeliverPolicy.StartSequence,
    ...(from <= 1 ? {} : { opt_start_seq: from }),
  });
  for (;;) {
    const batch = await oc.fetch({ max_messages: opts.batch ?? 1000, expires: 2000 });
    let seen = 0;
    let done = false;
    for await (const m of batch) {
      seen++;
      if (m.seq > end) {
        done = true;
        break;
      }
      const headers = new Map<string, string>();
      if (m.headers) for (const [k, v] of m.headers) headers.set(k, v[0] ?? "");
      yield { seq: m.seq, subject: m.subject, data: m.data, headers, time: m.time };
      if (m.seq >= end || m.info.pending === 0) {
        done = true;
        break;
      }
    }
    if (done || seen === 0) break;
  }
  await oc.delete().catch(() => undefined);
}

/** The sequence of the last message the read should include. */
async function endOf(nc: NatsConnection, opts: ReadOptions): Promise<number> {
  const jsm = await jetstreamManager(nc);
  const f = opts.filterSubject;
  if (f !== undefined && !f.includes("*") && !f.includes(">")) {
    const last = await jsm.streams.getMessage(opts.stream, { last_by_subj: f }).catch(() => null);
    return last?.seq ?? 0;
  }
  return (await jsm.streams.info(opts.stream)).state.last_seq;
}
