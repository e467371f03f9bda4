/** Puts a message that cannot be processed on `deadletter.<origin>` with its reason. */
import { DeadLetterSchema, subjects } from "@rea/contracts";
import type { DeadLetter, ErrorDetail } from "@rea/contracts";
import type { JetStreamClient } from "@nats-io/jetstream";
import { publishJson } from "./publish.js";

export interface DeadLetterInput {
  origin: string;
  subject: string;
  stream?: string;
  streamSeq?: number;
  reason: string;
  details?: ErrorDetail[];
  payload: Uint8Array;
  nowMs: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function encodePayload(data: Uint8Array): Pick<DeadLetter, "payload" | "encoding"> {
  try {
    return { payload: utf8.decode(data), encoding: "utf8" };
  } catch {
    return { payload: Buffer.from(data).toString("base64"), encoding: "base64" };
  }
}

/** Publishes the dead letter; deduplicated per origin and stream sequence, so a retry is harmless. */
export async function publishDeadLetter(js: JetStreamClient, input: DeadLetterInput): Promise<void> {
  const letter: DeadLetter = {
    origin: input.origin,
    subject: input.subject,
    ...(input.stream === undefined ? {} : { stream: input.stream }),
    ...(input.streamSeq === undefined ? {} : { streamSeq: input.streamSeq }),
    reason: input.reason.slice(0, 2000),
    ...(input.details === undefined ? {} : { details: input.details.slice(0, 50) }),
    ...encodePayload(input.payload),
    at: new Date(input.nowMs).toISOString(),
  };
  const msgId = input.streamSeq === undefined ? undefined : `${input.origin}:${input.stream ?? ""}:${input.streamSeq}`;
  await publishJson(
    js,
    subjects.deadLetter(input.origin),
    DeadLetterSchema,
    letter,
    msgId === undefined ? {} : { msgId },
  );
}
