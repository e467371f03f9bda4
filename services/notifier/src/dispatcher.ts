/**
 * Delivers one alert to every verified channel of its rule, exactly once per
 * channel: each delivery is recorded under `<alert>.<channel>` in the
 * deliveries bucket, and a redelivered alert skips the channels already done.
 * A transient failure makes the alert come back later (only the channels still
 * owed are tried); a permanent one is recorded as failed with its reason and,
 * unless the provider refused only this message, disables that channel.
 *
 * A muted channel's alert is recorded as skipped. During the user's quiet hours
 * the alert is held instead: recorded as `held` and kept in the held-alerts
 * bucket until the digest sweep sends it (see digest-sweeper.ts).
 */
import type { TypedBucket } from "@rea/bus";
import type { Channel as Provider } from "@rea/channels";
import { AppError, channelMutedUntil, deliveryKey, heldAlertKey } from "@rea/contracts";
import type { Alert, Channel, ChannelType, DeliveryRecord, HeldEntry, User } from "@rea/contracts";
import type { Logger } from "pino";
import { alertMessage } from "./alert-message.js";
import { asDeliveryError, disableChannel, notConfigured, recordDelivery } from "./delivery-log.js";
import type { DeliveryOutcome } from "./delivery-log.js";
import { inQuietHours, quietHoursLabel } from "./quiet-hours.js";

export interface DispatcherDeps {
  channels: TypedBucket<Channel>;
  deliveries: TypedBucket<DeliveryRecord>;
  /** read for quiet hours and timezone */
  users: TypedBucket<User>;
  /** alerts held during quiet hours, for the digest sweep */
  held: TypedBucket<HeldEntry>;
  providers: Partial<Record<ChannelType, Provider>>;
  logger: Logger;
  now: () => number;
}

export interface DispatchCounters {
  sent: number;
  failed: number;
  skipped: number;
  held: number;
}

export class Dispatcher {
  readonly counters: DispatchCounters = { sent: 0, failed: 0, skipped: 0, held: 0 };
  private readonly warnedMissing = new Set<ChannelType>();

  constructor(private readonly deps: DispatcherDeps) {}

  async dispatch(alert: Alert): Promise<void> {
    const log = this.deps.logger.child({ alertId: alert.id, userId: alert.userId });
    const mine = await this.deps.channels.entries(`${alert.userId}.*`);
    const targets = [...mine.values()]
      .map((v) => v.value)
      .filter((ch) => ch.status === "active" && alert.channels.includes(ch.type));
    if (targets.length === 0) {
      log.info({}, "no verified channel for this alert");
      return;
    }
    const user = (await this.deps.users.get(alert.userId))?.value;
    let transient: Error | undefined;
    for (const ch of targets) {
      const done = await this.deps.deliveries.get(deliveryKey(alert.id, ch.id));
      if (done?.value.status === "held") {
        await this.keepHeld(alert, ch);
        continue;
      }
      if (done !== undefined) continue;
      const now = this.deps.now();
      const provider = this.deps.providers[ch.type];
      if (provider === undefined) {
        this.warnMissing(log, ch.type);
        await this.record(alert, ch, { status: "skipped", attempts: 1, reason: notConfigured(ch.type) });
        this.counters.skipped++;
        continue;
      }
      const muted = channelMutedUntil(ch, now);
      if (muted !== undefined) {
        await this.record(alert, ch, { status: "skipped", attempts: 0, reason: `muted until ${muted}` });
        this.counters.skipped++;
        log.info({ channel: ch.type, channelId: ch.id, mutedUntil: muted }, "channel muted: alert skipped");
        continue;
      }
      if (user?.quietHours !== undefined && inQuietHours(user.quietHours, user.timezone, now)) {
        const reason = `quiet hours ${quietHoursLabel(user.quietHours, user.timezone)}`;
        await this.record(alert, ch, { status: "held", attempts: 0, reason });
        await this.keepHeld(alert, ch);
        this.counters.held++;
        log.info({ channel: ch.type, channelId: ch.id }, "quiet hours: alert held for the digest");
        continue;
      }
      try {
        const res = await provider.send(ch.address, alertMessage(alert));
        await this.record(alert, ch, { status: "sent", attempts: 1, providerId: res.providerId });
        this.counters.sent++;
        log.info({ channel: ch.type, channelId: ch.id }, "alert delivered");
      } catch (e) {
        const err = asDeliveryError(e);
        const where = { channel: ch.type, channelId: ch.id, reason: err.message };
        if (err.permanent) {
          await this.record(alert, ch, { status: "failed", attempts: 1, reason: err.message });
          if (err.disablesChannel) await disableChannel(this.deps.channels, ch, err.message);
          this.counters.failed++;
          log.warn(where, err.disablesChannel ? "permanent failure: channel disabled" : "message refused: not sent");
        } else {
          if (err.misconfigured) log.error(where, "delivery is misconfigured: will retry once it is fixed");
          else log.warn(where, "transient failure: will retry");
          transient = transient ?? err;
        }
      }
    }
    if (transient !== undefined) throw transient;
  }

  /**
   * Makes sure the held alert is in the held-alerts bucket. The delivery record
   * is written first, so a crash in between leaves `held` with nothing held:
   * the redelivery puts it there, and an alert already held is not held twice.
   */
  private async keepHeld(alert: Alert, ch: Channel): Promise<void> {
    const key = heldAlertKey(alert.userId, ch.id, alert.id);
    if ((await this.deps.held.get(key)) !== undefined) return;
    const entry: HeldEntry = {
      kind: "alert",
      alert,
      channel: ch.type,
      channelId: ch.id,
      heldAt: new Date(this.deps.now()).toISOString(),
    };
    try {
      await this.deps.held.create(key, entry);
    } catch (e) {
      if (!(e instanceof AppError && e.code === "CONFLICT")) throw e;
    }
  }

  private warnMissing(log: Logger, type: ChannelType): void {
    if (this.warnedMissing.has(type)) return;
    this.warnedMissing.add(type);
    log.warn({ channel: type }, `${type} delivery is not configured; such deliveries are recorded as skipped`);
  }

  private record(alert: Alert, ch: Channel, r: DeliveryOutcome): Promise<void> {
    return recordDelivery(this.deps.deliveries, alert, ch, r, this.deps.now());
  }
}
