/**
 * The quiet-hours digest. A sweep (every 30 s by default, driven by the
 * service) looks at each channel with held alerts; when the user's quiet hours
 * are over it sends them as ONE message, records each alert's delivery as
 * `sent` with the digest's provider id, and removes them from the bucket.
 *
 * Exactly once as the user sees it, across restarts and several notifiers:
 * 1. claim: the channel's digest record (`<userId>.<channelId>.digest`) is
 *    created, or taken over by compare-and-set, as `sending` with the ids of
 *    the alerts it carries. Only one sweeper wins; the others leave the channel.
 * 2. send the digest.
 * 3. mark the digest record `sent` (one write), then write each alert's
 *    delivery record and remove the held alerts, then the digest record.
 * A sweep that finds a `sent` digest (the sender stopped during step 3) only
 * finishes step 3. A `sending` digest is left to its sender for `leaseMs`;
 * after that its sender is taken to be gone and the digest is sent again. So
 * the one window for a repeat is a crash between the provider accepting the
 * digest and the `sent` write in step 3 (one KV write). A transient failure is
 * kept as `failed` and retried on the next sweep (not before the provider's
 * retry-after); a permanent one is recorded like a normal delivery's (and
 * disables the channel unless only this message was refused).
 */
import { randomUUID } from "node:crypto";
import type { TypedBucket, Versioned } from "@rea/bus";
import type { Channel as Provider, SendResult } from "@rea/channels";
import { AppError, MAX_DIGEST_ALERTS, channelMutedUntil, deliveryKey, digestKey, heldPrefix } from "@rea/contracts";
import type { Channel, ChannelType, DeliveryRecord, DigestRecord, HeldAlert, HeldEntry, User } from "@rea/contracts";
import type { Logger } from "pino";
import { asDeliveryError, disableChannel, notConfigured, recordDelivery } from "./delivery-log.js";
import type { DeliveryOutcome } from "./delivery-log.js";
import { digestMessage, digestOrder } from "./digest-message.js";
import { inQuietHours } from "./quiet-hours.js";

export interface DigestSweeperDeps {
  channels: TypedBucket<Channel>;
  users: TypedBucket<User>;
  deliveries: TypedBucket<DeliveryRecord>;
  held: TypedBucket<HeldEntry>;
  providers: Partial<Record<ChannelType, Provider>>;
  logger: Logger;
  now: () => number;
  /** how long a digest being sent is left to its sender before a sweep takes it over (default 5 minutes) */
  leaseMs?: number;
  /** channels handled at once, so one slow channel does not hold back the others (default 8) */
  concurrency?: number;
  newDigestId?: () => string;
}

/** What a sweep did with each channel that had held alerts. */
export type ChannelOutcome = "sent" | "waiting" | "busy" | "retry" | "failed" | "dropped" | "finished" | "empty";
export type SweepReport = Record<ChannelOutcome | "errors", number>;

export interface DigestCounters {
  digestsSent: number;
  digestAlerts: number;
  digestFailures: number;
}

interface HeldItem {
  key: string;
  entry: HeldAlert;
}

export class DigestSweeper {
  readonly counters: DigestCounters = { digestsSent: 0, digestAlerts: 0, digestFailures: 0 };
  private running: Promise<SweepReport> | undefined;
  private stopped = false;
  private readonly leaseMs: number;

  constructor(private readonly deps: DigestSweeperDeps) {
    this.leaseMs = deps.leaseMs ?? 5 * 60_000;
  }

  /** One sweep over every channel with held alerts; a call during a sweep waits for that sweep. */
  sweep(): Promise<SweepReport> {
    if (this.stopped) return Promise.reject(new AppError("UNAVAILABLE", "the digest sweeper is stopped"));
    this.running ??= this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Starts no more sweeps and waits for the one under way, if any. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
  }

  private async run(): Promise<SweepReport> {
    const report: SweepReport = {
      sent: 0,
      waiting: 0,
      busy: 0,
      retry: 0,
      failed: 0,
      dropped: 0,
      finished: 0,
      empty: 0,
      errors: 0,
    };
    const targets = new Map<string, [string, string]>();
    for (const key of await this.deps.held.keys()) {
      const [userId, channelId] = key.split(".");
      if (userId !== undefined && channelId !== undefined)
        targets.set(heldPrefix(userId, channelId), [userId, channelId]);
    }
    const users = new Map<string, Promise<User | undefined>>();
    const userOf = (id: string): Promise<User | undefined> => {
      let u = users.get(id);
      if (u === undefined) {
        u = this.deps.users.get(id).then((v) => v?.value);
        users.set(id, u);
      }
      return u;
    };
    const queue = [...targets.values()];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [userId, channelId] = next;
        try {
          report[await this.sweepChannel(userId, channelId, userOf)]++;
        } catch (e) {
          report.errors++;
          this.deps.logger.error({ err: e, userId, channelId }, "digest sweep of a channel failed; retried next sweep");
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.deps.concurrency ?? 8, queue.length) }, worker));
    return report;
  }

  private async sweepChannel(
    userId: string,
    channelId: string,
    userOf: (id: string) => Promise<User | undefined>,
  ): Promise<ChannelOutcome> {
    const { held } = this.deps;
    const log = this.deps.logger.child({ userId, channelId });
    const dKey = digestKey(userId, channelId);
    const found = await held.entries(`${heldPrefix(userId, channelId)}.>`, (key, err) => {
      log.error({ key, err }, "an unreadable held alert was removed");
      void held.delete(key);
    });
    let digest: Versioned<DigestRecord> | undefined;
    const items: HeldItem[] = [];
    for (const [key, v] of found) {
      if (v.value.kind === "digest") {
        if (key === dKey) digest = { value: v.value, revision: v.revision };
      } else items.push({ key, entry: v.value });
    }
    items.sort((a, b) => digestOrder(a.entry, b.entry));
    const now = this.deps.now();
    const d = digest?.value;
    if (d?.state === "sent") {
      await this.finish(d, items);
      return "finished";
    }
    if (d?.state === "sending" && Date.parse(d.startedAt) + this.leaseMs > now) return "busy";
    if (d?.state === "failed" && d.retryAt !== undefined && Date.parse(d.retryAt) > now) return "waiting";
    if (items.length === 0) {
      if (digest !== undefined) await held.delete(dKey);
      return "empty";
    }
    const stale = digest === undefined ? undefined : dKey;
    const ch = (await this.deps.channels.get(`${userId}.${channelId}`))?.value;
    if (ch === undefined || ch.status !== "active") {
      const why = ch === undefined ? "the channel was removed" : `the channel is ${ch.status}`;
      return this.drop(log, items, stale, `held for quiet hours, then ${why}`);
    }
    const provider = this.deps.providers[ch.type];
    if (provider === undefined) return this.drop(log, items, stale, notConfigured(ch.type));
    const user = await userOf(userId);
    if (user?.quietHours !== undefined && inQuietHours(user.quietHours, user.timezone, now)) return "waiting";
    const muted = channelMutedUntil(ch, now);
    if (muted !== undefined) return this.drop(log, items, stale, `muted until ${muted}`);

    const pending: HeldItem[] = [];
    for (const item of items) {
      if (pending.length >= MAX_DIGEST_ALERTS) break;
      if (await this.stillOwed(item)) pending.push(item);
      else await held.delete(item.key);
    }
    if (pending.length === 0) {
      if (digest !== undefined) await held.delete(dKey);
      return "empty";
    }
    const claim: DigestRecord = {
      kind: "digest",
      id: d?.id ?? (this.deps.newDigestId ?? randomUUID)(),
      userId,
      channelId,
      state: "sending",
      alertIds: pending.map((p) => p.entry.alert.id),
      attempts: (d?.attempts ?? 0) + 1,
      startedAt: new Date(now).toISOString(),
    };
    try {
      if (digest === undefined) await held.create(dKey, claim);
      else await held.update(dKey, claim, digest.revision);
    } catch (e) {
      if (e instanceof AppError && e.code === "CONFLICT") return "busy";
      throw e;
    }

    let res: SendResult;
    try {
      const message = digestMessage(
        pending.map((p) => p.entry.alert),
        user,
        `digest-${claim.id}`,
      );
      res = await provider.send(ch.address, message);
    } catch (e) {
      const err = asDeliveryError(e);
      if (err.permanent) {
        if (err.disablesChannel) await disableChannel(this.deps.channels, ch, err.message);
        await this.settle(pending, { status: "failed", attempts: claim.attempts, reason: err.message });
        await held.delete(dKey);
        this.counters.digestFailures++;
        const what = err.disablesChannel ? "channel disabled" : "digest not sent";
        log.warn({ reason: err.message }, `permanent failure of a digest: ${what}`);
        return "failed";
      }
      const retryAt = err.retryAfterMs === undefined ? {} : { retryAt: new Date(now + err.retryAfterMs).toISOString() };
      await held.put(dKey, { ...claim, state: "failed", reason: err.message.slice(0, 1000), ...retryAt });
      if (err.misconfigured) log.error({ reason: err.message }, "digest delivery is misconfigured: retried next sweep");
      else log.warn({ reason: err.message }, "transient failure of a digest: retried next sweep");
      return "retry";
    }
    const sent: DigestRecord = { ...claim, state: "sent", providerId: res.providerId.slice(0, 300) };
    await held.put(dKey, sent);
    await this.finish(sent, items);
    this.counters.digestsSent++;
    this.counters.digestAlerts += pending.length;
    log.info({ alerts: pending.length, channel: ch.type }, "quiet hours over: digest delivered");
    return "sent";
  }

  /** After the digest went out: each alert it carried is recorded as sent and no longer held. */
  private async finish(d: DigestRecord, items: readonly HeldItem[]): Promise<void> {
    const carried = new Set(d.alertIds);
    await this.settle(
      items.filter((i) => carried.has(i.entry.alert.id)),
      { status: "sent", attempts: d.attempts, ...(d.providerId === undefined ? {} : { providerId: d.providerId }) },
    );
    await this.deps.held.delete(digestKey(d.userId, d.channelId));
  }

  /** Held alerts that will not be sent: recorded as skipped with the reason, and removed. */
  private async drop(
    log: Logger,
    items: readonly HeldItem[],
    digestToRemove: string | undefined,
    reason: string,
  ): Promise<ChannelOutcome> {
    const owed: HeldItem[] = [];
    for (const item of items) {
      if (await this.stillOwed(item)) owed.push(item);
      else await this.deps.held.delete(item.key);
    }
    await this.settle(owed, { status: "skipped", attempts: 0, reason });
    if (digestToRemove !== undefined) await this.deps.held.delete(digestToRemove);
    log.info({ alerts: owed.length, reason }, "held alerts not sent");
    return "dropped";
  }

  /** Writes each alert's delivery record, then removes it from the held alerts. */
  private async settle(items: readonly HeldItem[], outcome: DeliveryOutcome): Promise<void> {
    const now = this.deps.now();
    for (const { key, entry } of items) {
      await recordDelivery(
        this.deps.deliveries,
        entry.alert,
        { id: entry.channelId, type: entry.channel },
        outcome,
        now,
      );
      await this.deps.held.delete(key);
    }
  }

  /** Whether the alert still waits for this channel (its delivery record says held, or there is none yet). */
  private async stillOwed({ entry }: HeldItem): Promise<boolean> {
    const rec = await this.deps.deliveries.get(deliveryKey(entry.alert.id, entry.channelId));
    return rec === undefined || rec.value.status === "held";
  }
}
