/**
 * A JetStream KV bucket whose values are validated with zod on the way in and out,
 * with a live view: load every entry first, then follow updates, so nothing is
 * missed in between (watch updates are buffered while the snapshot loads).
 */
import { AppError, issuesToDetails } from "@rea/contracts";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm, KvWatchInclude } from "@nats-io/kv";
import type { KV, KvEntry } from "@nats-io/kv";
import type { z } from "zod";

export interface Versioned<T> {
  value: T;
  revision: number;
}

export type BucketChange<T> = { key: string; revision: number } & ({ op: "put"; value: T } | { op: "delete" });

export interface LiveView {
  stop(): void;
  /** the bucket revision this view reflects: every write up to it has been delivered */
  appliedRevision(): number;
}

const REVISION_MISMATCH = 10071;

export class TypedBucket<T> {
  private constructor(
    readonly kv: KV,
    readonly name: string,
    private readonly schema: z.ZodType<T>,
    private readonly nc: NatsConnection,
  ) {}

  /** Opens a provisioned bucket. */
  static async open<T>(nc: NatsConnection, name: string, schema: z.ZodType<T>): Promise<TypedBucket<T>> {
    const kv = await new Kvm(nc).open(name);
    return new TypedBucket(kv, name, schema, nc);
  }

  private decode(e: KvEntry): T {
    let raw: unknown;
    try {
      raw = e.json<unknown>();
    } catch (err) {
      throw new AppError("INTERNAL", `${this.name}/${e.key} holds malformed JSON`, { cause: err });
    }
    const parsed = this.schema.safeParse(raw);
    if (!parsed.success) {
      throw new AppError("INTERNAL", `${this.name}/${e.key} holds an invalid record`, {
        details: issuesToDetails(parsed.error.issues),
      });
    }
    return parsed.data;
  }

  private encode(key: string, value: T): string {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new AppError("VALIDATION", `refusing to store an invalid record at ${this.name}/${key}`, {
        details: issuesToDetails(parsed.error.issues),
      });
    }
    return JSON.stringify(parsed.data);
  }

  async get(key: string): Promise<Versioned<T> | undefined> {
    const e = await this.kv.get(key);
    if (e === null || e.operation !== "PUT") return undefined;
    return { value: this.decode(e), revision: e.revision };
  }

  async put(key: string, value: T): Promise<number> {
    return this.kv.put(key, this.encode(key, value));
  }

  /** Writes only if the key does not exist; CONFLICT otherwise. */
  async create(key: string, value: T): Promise<number> {
    try {
      return await this.kv.create(key, this.encode(key, value));
    } catch (e) {
      if (isRevisionMismatch(e)) throw new AppError("CONFLICT", `${key} already exists`, { cause: e });
      throw e;
    }
  }

  /** Compare-and-set: writes only if the key is still at `revision`; CONFLICT otherwise. */
  async update(key: string, value: T, revision: number): Promise<number> {
    try {
      return await this.kv.update(key, this.encode(key, value), revision);
    } catch (e) {
      if (isRevisionMismatch(e))
        throw new AppError("CONFLICT", `${key} was changed concurrently`, { retryable: true, cause: e });
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }

  /** The revision of the latest write (put or delete) to the bucket; 0 when empty. */
  async lastRevision(): Promise<number> {
    const jsm = await jetstreamManager(this.nc);
    return (await jsm.streams.info(`KV_${this.name}`)).state.last_seq;
  }

  async keys(filter?: string): Promise<string[]> {
    const out: string[] = [];
    for await (const k of await this.kv.keys(filter)) out.push(k);
    return out;
  }

  /** Every current entry; a key whose record is invalid is reported through `onInvalid` and skipped. */
  async entries(filter?: string, onInvalid?: (key: string, err: unknown) => void): Promise<Map<string, Versioned<T>>> {
    const out = new Map<string, Versioned<T>>();
    for (const key of await this.keys(filter)) {
      try {
        const v = await this.get(key);
        if (v !== undefined) out.set(key, v);
      } catch (e) {
        onInvalid?.(key, e);
      }
    }
    return out;
  }

  /**
   * Calls `onChange` once per current entry, then for every later change, in
   * revision order. Resolves once the current entries have been delivered.
   * With `onCurrent`, the current entries come to it instead, in one array
   * (for a reader that loads many at once faster than one by one), and only
   * the later changes to `onChange`.
   */
  async live(
    onChange: (c: BucketChange<T>) => void,
    onInvalid: (key: string, err: unknown) => void,
    onCurrent?: (current: BucketChange<T>[]) => void,
  ): Promise<LiveView> {
    const watcher = await this.kv.watch({ include: KvWatchInclude.UpdatesOnly });
    const buffered: KvEntry[] = [];
    let ready = false;
    const seen = new Map<string, number>();
    let applied = 0;
    const current: BucketChange<T>[] = [];
    let deliver = onCurrent === undefined ? onChange : (c: BucketChange<T>): void => void current.push(c);
    const apply = (e: KvEntry): void => {
      applied = Math.max(applied, e.revision);
      if ((seen.get(e.key) ?? 0) >= e.revision) return;
      seen.set(e.key, e.revision);
      if (e.operation !== "PUT") {
        deliver({ key: e.key, revision: e.revision, op: "delete" });
        return;
      }
      let value: T;
      try {
        value = this.decode(e);
      } catch (err) {
        onInvalid(e.key, err);
        return;
      }
      deliver({ key: e.key, revision: e.revision, op: "put", value });
    };
    void (async () => {
      for await (const e of watcher) {
        if (ready) apply(e);
        else buffered.push(e);
      }
    })();
    // writes up to here are in the current entries below; later ones arrive through the watcher
    const baseline = await this.lastRevision();
    const initial = await this.keys();
    for (const key of initial) {
      const e = await this.kv.get(key);
      if (e !== null) apply(e);
    }
    if (onCurrent !== undefined) {
      onCurrent(current.splice(0));
      deliver = onChange;
    }
    for (const e of buffered.splice(0)) apply(e);
    ready = true;
    applied = Math.max(applied, baseline);
    return { stop: () => watcher.stop(), appliedRevision: () => applied };
  }
}

function isRevisionMismatch(e: unknown): boolean {
  const err = e as { code?: number; api_error?: { err_code?: number }; message?: string };
  return (
    err.api_error?.err_code === REVISION_MISMATCH ||
    err.code === REVISION_MISMATCH ||
    /wrong last sequence|key exists/i.test(err.message ?? "")
  );
}
