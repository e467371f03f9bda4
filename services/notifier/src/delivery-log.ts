/**
 * The delivery log both delivery paths write (an alert sent at once, or held
 * and sent in a digest): one record per alert and channel in the deliveries
 * bucket, and disabling a channel after a permanent failure.
 */
import type { TypedBucket } from "@rea/bus";
import { DeliveryError } from "@rea/channels";
import { deliveryKey } from "@rea/contracts";
import type { Alert, Channel, ChannelType, DeliveryRecord } from "@rea/contracts";

export type DeliveryOutcome = Pick<DeliveryRecord, "status" | "attempts"> & { reason?: string; providerId?: string };

/** The record of delivering `alert` to channel `ch` at `nowMs`. */
export function deliveryRecord(
  alert: Pick<Alert, "id" | "userId">,
  ch: Pick<Channel, "id" | "type">,
  r: DeliveryOutcome,
  nowMs: number,
): DeliveryRecord {
  return {
    alertId: alert.id,
    userId: alert.userId,
    channel: ch.type,
    channelId: ch.id,
    status: r.status,
    attempts: r.attempts,
    ...(r.reason === undefined ? {} : { reason: r.reason.slice(0, 1000) }),
    ...(r.providerId === undefined ? {} : { providerId: r.providerId.slice(0, 300) }),
    at: new Date(nowMs).toISOString(),
  };
}

export async function recordDelivery(
  deliveries: TypedBucket<DeliveryRecord>,
  alert: Pick<Alert, "id" | "userId">,
  ch: Pick<Channel, "id" | "type">,
  r: DeliveryOutcome,
  nowMs: number,
): Promise<void> {
  await deliveries.put(deliveryKey(alert.id, ch.id), deliveryRecord(alert, ch, r, nowMs));
}

/** Marks the channel disabled with the provider's reason, on a fresh copy so a concurrent change is kept. */
export async function disableChannel(
  channels: TypedBucket<Channel>,
  ch: Pick<Channel, "userId" | "id">,
  reason: string,
): Promise<void> {
  const key = `${ch.userId}.${ch.id}`;
  const current = await channels.get(key);
  if (current === undefined) return;
  await channels.put(key, { ...current.value, status: "disabled", disabledReason: reason.slice(0, 1000) });
}

/** Any failure as a DeliveryError; what a provider did not classify counts as transient. */
export const asDeliveryError = (e: unknown): DeliveryError =>
  e instanceof DeliveryError ? e : new DeliveryError((e as Error).message, { permanent: false, cause: e });

/** The reason recorded when a channel type has no provider on this notifier. */
export const notConfigured = (type: ChannelType): string => `${type} is not configured on this notifier`;
