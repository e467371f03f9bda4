/**
 * Delivers one alert to every verified channel of its rule, exactly once per
 * channel: each delivery is recorded under `<alert>.<channel>` in the
 * deliveries bucket, and a redelivered alert skips the channels already done.
 * A transient failure makes the alert come back later (only the channels still
 * owed are tried); a permanent one disables that channel with its reason.
 */
import type { TypedBucket } from "@rea/bus";
import { DeliveryError } from "@rea/channels";
import type { Channel as Provider } from "@rea/channels";
import type { Alert, Channel, ChannelType, DeliveryRecord } from "@rea/contracts";
import type { Logger } from "pino";
import { alertMessage } from "./alert-message.js";

export interface DispatcherDeps {
  channels: TypedBucket<Channel>;
  deliveries: TypedBucket<DeliveryRecord>;
  providers: Partial<Record<ChannelType, Provider>>;
  logger: Logger;
  now: () => number;
}

export interface DispatchCounters {
  sent: number;
  failed: number;
  skipped: number;
}

/** KV keys allow `[-/_=.A-Za-z0-9]`: alert ids use `:` as separator. */
export const deliveryKey = (alertId: string, channelId: string): string => `${alertId.replace(/:/g, ".")}.${channelId}`;

export class Dispatcher {
  readonly counters: DispatchCounters = { sent: 0, failed: 0, skipped: 0 };
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
    let transient: DeliveryError | undefined;
    for (const ch of targets) {
      const key = deliveryKey(alert.id, ch.id);
      const done = await this.deps.deliveries.get(key);
      if (done !== undefined && done.value.status !== "held") continue;
      const attempts = (done?.value.attempts ?? 0) + 1;
      const provider = this.deps.providers[ch.type];
      if (provider === undefined) {
        if (!this.warnedMissing.has(ch.type)) {
          this.warnedMissing.add(ch.type);
          log.warn(
            { channel: ch.type },
            `${ch.type} delivery is not configured; such deliveries are recorded as skipped`,
          );
        }
        await this.record(alert, ch, {
          status: "skipped",
          attempts,
          reason: `${ch.type} is not configured on this notifier`,
        });
        this.counters.skipped++;
        continue;
      }
      try {
        const res = await provider.send(ch.address, alertMessage(alert));
        await this.record(alert, ch, { status: "sent", attempts, providerId: res.providerId });
        this.counters.sent++;
        log.info({ channel: ch.type, channelId: ch.id }, "alert delivered");
      } catch (e) {
        const err =
          e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, { permanent: false, cause: e });
        if (err.permanent) {
          await this.record(alert, ch, { status: "failed", attempts, reason: err.message });
          await this.deps.channels.put(`${ch.userId}.${ch.id}`, {
            ...ch,
            status: "disabled",
            disabledReason: err.message,
          });
          this.counters.failed++;
          log.warn({ channel: ch.type, channelId: ch.id, reason: err.message }, "permanent failure: channel disabled");
        } else {
          log.warn({ channel: ch.type, channelId: ch.id, reason: err.message }, "transient failure: will retry");
          transient = transient ?? err;
        }
      }
    }
    if (transient !== undefined) throw transient;
  }

  private async record(
    alert: Alert,
    ch: Channel,
    r: Pick<DeliveryRecord, "status" | "attempts"> & { reason?: string; providerId?: string },
  ): Promise<void> {
    const rec: DeliveryRecord = {
      alertId: alert.id,
      userId: alert.userId,
      channel: ch.type,
      channelId: ch.id,
      status: r.status,
      attempts: r.attempts,
      ...(r.reason === undefined ? {} : { reason: r.reason.slice(0, 1000) }),
      ...(r.providerId === undefined ? {} : { providerId: r.providerId.slice(0, 300) }),
      at: new Date(this.deps.now()).toISOString(),
    };
    await this.deps.deliveries.put(deliveryKey(alert.id, ch.id), rec);
  }
}
