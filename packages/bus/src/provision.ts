/**
 * Creates the streams, KV buckets and durable consumers the product needs.
 * Running it again is harmless; an existing stream whose settings conflict with
 * ours is reported with one clear line instead of being silently changed.
 */
import { AppError, BUCKETS, INSTRUMENT_CATALOGUE, InstrumentSchema, STREAMS } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { nanos } from "@nats-io/nats-core";
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  jetstreamManager,
} from "@nats-io/jetstream";
import type { ConsumerConfig, JetStreamManager, StreamConfig } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import type { BusLogger } from "./logger.js";
import { TypedBucket } from "./typed-bucket.js";

const DAY_MS = 86_400_000;
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

export interface ProvisionOptions {
  logger: BusLogger;
  /** stream and bucket replicas: 1 on one server, 3 on a cluster */
  replicas?: number;
}

export interface StreamSpec {
  name: string;
  subjects: string[];
  maxAgeMs: number;
  duplicateWindowMs: number;
}

/** What we need of each stream; all are limits-retention file streams (replayable). */
export const STREAM_SPECS: readonly StreamSpec[] = [
  // prices are history: kept ~2 years so preview and backfill windows have data
  {
    name: STREAMS.PRICES.name,
    subjects: [...STREAMS.PRICES.subjects],
    maxAgeMs: 800 * DAY_MS,
    duplicateWindowMs: DAY_MS,
  },
  {
    name: STREAMS.ALERTS.name,
    subjects: [...STREAMS.ALERTS.subjects],
    maxAgeMs: 400 * DAY_MS,
    duplicateWindowMs: DAY_MS,
  },
  {
    name: STREAMS.DEADLETTER.name,
    subjects: [...STREAMS.DEADLETTER.subjects],
    maxAgeMs: 30 * DAY_MS,
    duplicateWindowMs: 2 * 60_000,
  },
];

export interface BucketSpec {
  name: string;
  history: number;
}

export const BUCKET_SPECS: readonly BucketSpec[] = [
  { name: BUCKETS.RULES, history: 5 },
  { name: BUCKETS.USERS, history: 1 },
  { name: BUCKETS.APIKEYS, history: 1 },
  { name: BUCKETS.CHANNELS, history: 1 },
  { name: BUCKETS.INSTRUMENTS, history: 1 },
  { name: BUCKETS.DELIVERIES, history: 1 },
  { name: BUCKETS.EVALUATOR_STATE, history: 1 },
  { name: BUCKETS.VERIFICATIONS, history: 1 },
  { name: BUCKETS.HELD_ALERTS, history: 1 },
];

export interface ProvisionReport {
  created: string[];
  updated: string[];
  unchanged: string[];
}

/**
 * Makes sure every stream and bucket exists with the expected settings.
 * @example await provision(nc, { logger });
 */
export async function provision(nc: NatsConnection, opts: ProvisionOptions): Promise<ProvisionReport> {
  const jsm = await jetstreamManager(nc);
  const replicas = opts.replicas ?? 1;
  const report: ProvisionReport = { created: [], updated: [], unchanged: [] };
  for (const spec of STREAM_SPECS) {
    const outcome = await ensureStream(jsm, spec, replicas);
    report[outcome].push(`stream ${spec.name}`);
  }
  const kvm = new Kvm(nc);
  for (const b of BUCKET_SPECS) {
    const existed = await streamExists(jsm, `KV_${b.name}`);
    try {
      await kvm.create(b.name, { history: b.history, replicas });
    } catch (e) {
      throw new AppError(
        "CONFLICT",
        `KV bucket ${b.name} exists with other settings than expected (history ${b.history}, replicas ${replicas}): ${(e as Error).message}`,
        { cause: e },
      );
    }
    report[existed ? "unchanged" : "created"].push(`bucket ${b.name}`);
  }
  const seeded = await seedCatalogue(nc);
  if (seeded > 0) report.created.push(`${seeded} catalogue instruments`);
  opts.logger.info(report, "streams and buckets provisioned");
  return report;
}

/** Adds the shipped catalogue to the instruments bucket; never overwrites an existing entry. */
async function seedCatalogue(nc: NatsConnection): Promise<number> {
  const bucket = await TypedBucket.open(nc, BUCKETS.INSTRUMENTS, InstrumentSchema);
  const existing = new Set(await bucket.keys());
  let added = 0;
  for (const inst of INSTRUMENT_CATALOGUE) {
    if (existing.has(inst.id)) continue;
    try {
      await bucket.create(inst.id, inst);
      added++;
    } catch (e) {
      // another process seeded it at the same moment
      if (!(e instanceof AppError && e.code === "CONFLICT")) throw e;
    }
  }
  return added;
}

async function streamExists(jsm: JetStreamManager, name: string): Promise<boolean> {
  try {
    await jsm.streams.info(name);
    return true;
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === STREAM_NOT_FOUND) return false;
    throw e;
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  spec: StreamSpec,
  replicas: number,
): Promise<"created" | "updated" | "unchanged"> {
  const want: Partial<StreamConfig> & { name: string } = {
    name: spec.name,
    subjects: spec.subjects,
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(spec.maxAgeMs),
    duplicate_window: nanos(spec.duplicateWindowMs),
    num_replicas: replicas,
  };
  let current: StreamConfig;
  try {
    current = (await jsm.streams.info(spec.name)).config;
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === STREAM_NOT_FOUND) {
      await jsm.streams.add(want);
      return "created";
    }
    throw e;
  }
  const conflicts: string[] = [];
  if (current.retention !== RetentionPolicy.Limits)
    conflicts.push(`retention is ${current.retention}, expected limits`);
  if (current.storage !== StorageType.File) conflicts.push(`storage is ${current.storage}, expected file`);
  const missing = spec.subjects.filter((s) => !current.subjects.includes(s));
  if (missing.length > 0 || current.subjects.length !== spec.subjects.length) {
    conflicts.push(`subjects are [${current.subjects.join(", ")}], expected [${spec.subjects.join(", ")}]`);
  }
  if (conflicts.length > 0) {
    throw new AppError(
      "CONFLICT",
      `stream ${spec.name} exists with the wrong configuration: ${conflicts.join("; ")}. Remove it or point NATS_URL at another server.`,
    );
  }
  const drift =
    current.max_age !== want.max_age ||
    current.duplicate_window !== want.duplicate_window ||
    current.num_replicas !== replicas;
  if (!drift) return "unchanged";
  await jsm.streams.update(spec.name, {
    max_age: want.max_age,
    duplicate_window: want.duplicate_window,
    num_replicas: replicas,
  } as Partial<StreamConfig>);
  return "updated";
}

export interface ConsumerSpec {
  stream: string;
  durable: string;
  filterSubject?: string;
  /** how long a message may be in flight before redelivery */
  ackWaitMs?: number;
  /** deliveries before a message is dead-lettered by the consumer loop */
  maxDeliver?: number;
  /** messages in flight at once; 1 keeps strict stream order */
  maxAckPending?: number;
  /** where a new consumer starts */
  deliverFrom?: "all" | "new" | { seq: number };
}

/** Creates a durable pull consumer, or leaves an existing one with the same name as it is. */
export async function ensureConsumer(nc: NatsConnection, spec: ConsumerSpec): Promise<void> {
  const jsm = await jetstreamManager(nc);
  if ((await consumerInfo(jsm, spec)) !== undefined) return;
  await jsm.consumers.add(spec.stream, consumerConfig(spec));
}

/** The consumer's ack floor (stream sequence), or undefined when it does not exist. */
export async function consumerAckFloor(
  nc: NatsConnection,
  stream: string,
  durable: string,
): Promise<number | undefined> {
  const info = await consumerInfo(await jetstreamManager(nc), { stream, durable });
  return info?.ack_floor.stream_seq;
}

/**
 * Recreates a durable consumer so that it delivers from `fromSeq`, dropping
 * what a previous owner had in flight (a crashed process would otherwise hold
 * it until ack_wait runs out). Only for a consumer with a single owner.
 */
export async function recreateConsumer(nc: NatsConnection, spec: ConsumerSpec, fromSeq: number): Promise<void> {
  const jsm = await jetstreamManager(nc);
  if ((await consumerInfo(jsm, spec)) !== undefined) await jsm.consumers.delete(spec.stream, spec.durable);
  await jsm.consumers.add(
    spec.stream,
    consumerConfig({ ...spec, deliverFrom: fromSeq <= 1 ? "all" : { seq: fromSeq } }),
  );
}

async function consumerInfo(jsm: JetStreamManager, spec: Pick<ConsumerSpec, "stream" | "durable">) {
  try {
    return await jsm.consumers.info(spec.stream, spec.durable);
  } catch (e) {
    if (e instanceof JetStreamApiError && e.code === CONSUMER_NOT_FOUND) return undefined;
    throw e;
  }
}

function consumerConfig(spec: ConsumerSpec): Partial<ConsumerConfig> {
  const from = spec.deliverFrom ?? "all";
  const cfg: Partial<ConsumerConfig> = {
    durable_name: spec.durable,
    ack_policy: AckPolicy.Explicit,
    ack_wait: nanos(spec.ackWaitMs ?? 30_000),
    // the consume loop dead-letters before this is reached; this only bounds a crash loop
    max_deliver: (spec.maxDeliver ?? 5) + 1,
    max_ack_pending: spec.maxAckPending ?? 1000,
    deliver_policy:
      from === "all" ? DeliverPolicy.All : from === "new" ? DeliverPolicy.New : DeliverPolicy.StartSequence,
    ...(typeof from === "object" ? { opt_start_seq: from.seq } : {}),
    ...(spec.filterSubject === undefined ? {} : { filter_subject: spec.filterSubject }),
  };
  return cfg;
}
