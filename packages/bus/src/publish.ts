/** Typed publishing: a message is validated before it leaves, and carries its dedupe id. */
import { AppError, issuesToDetails } from "@rea/contracts";
import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/nats-core";
import type { z } from "zod";

export interface PublishOptions {
  /** `Nats-Msg-Id`: the stream drops a second message with the same id inside its duplicate window */
  msgId?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Validates `value` with `schema` and publishes it as JSON; resolves with the stream's ack.
 * @example await publishJson(js, subjects.price("PRND_OXIDE"), PriceMessageSchema, price, { msgId: priceMsgId(price) });
 */
export async function publishJson<S extends z.ZodType>(
  js: JetStreamClient,
  subject: string,
  schema: S,
  value: z.input<S>,
  opts: PublishOptions = {},
): Promise<PubAck> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AppError("VALIDATION", `refusing to publish an invalid message on ${subject}`, {
      details: issuesToDetails(parsed.error.issues),
    });
  }
  let hdrs;
  if (opts.headers !== undefined) {
    hdrs = natsHeaders();
    for (const [k, v] of Object.entries(opts.headers)) hdrs.set(k, v);
  }
  try {
    return await js.publish(subject, JSON.stringify(parsed.data), {
      ...(opts.msgId === undefined ? {} : { msgID: opts.msgId }),
      ...(hdrs === undefined ? {} : { headers: hdrs }),
      timeout: opts.timeoutMs ?? 5_000,
    });
  } catch (e) {
    throw new AppError("UNAVAILABLE", `publish to ${subject} failed: ${(e as Error).message}`, {
      retryable: true,
      cause: e,
    });
  }
}
