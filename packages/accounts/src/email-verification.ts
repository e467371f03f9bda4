/**
 * Email channels start pending: a 6-digit code is mailed to the address and only
 * the code proves it. Codes expire, allow a few attempts, and resends are spaced.
 */
import { AppError } from "@rea/contracts";
import type { Channel, Verification } from "@rea/contracts";
import type { AccountsDeps } from "./deps.js";
import { newCode, newId, sha256 } from "./ids.js";

export const RESEND_INTERVAL_MS = 60_000;

const verificationKey = (userId: string): string => `email.${userId}`;

/** Creates (or reuses) the pending channel for `address` and mails it a code. */
export async function startEmailVerification(deps: AccountsDeps, userId: string, address: string): Promise<Channel> {
  const { channels, verifications } = deps.stores;
  const now = deps.now();
  const pending = await verifications.get(verificationKey(userId));
  if (pending !== undefined && now - Date.parse(pending.value.sentAt) < RESEND_INTERVAL_MS) {
    const wait = Math.ceil((RESEND_INTERVAL_MS - (now - Date.parse(pending.value.sentAt))) / 1000);
    throw new AppError("RATE_LIMITED", `a code was sent less than a minute ago; try again in ${wait} s`, {
      retryAfterMs: wait * 1000,
    });
  }
  const mine = [...(await channels.entries(`${userId}.*`)).values()].map((v) => v.value);
  const existing = mine.find((ch) => ch.type === "email" && ch.address.toLowerCase() === address.toLowerCase());
  if (existing?.status === "active") throw new AppError("CONFLICT", "this address is already verified");
  const channel: Channel = existing ?? {
    id: newId("c"),
    userId,
    type: "email",
    address,
    status: "pending",
    createdAt: new Date(now).toISOString(),
  };
  if (existing === undefined) await channels.put(`${userId}.${channel.id}`, channel);
  const code = newCode();
  const record: Verification = {
    kind: "email",
    userId,
    channelId: channel.id,
    codeHash: sha256(`${userId}:${code}`),
    expiresAt: new Date(now + deps.limits.verificationTtlMs).toISOString(),
    attempts: 0,
    sentAt: new Date(now).toISOString(),
  };
  await verifications.put(verificationKey(userId), record);
  const minutes = Math.round(deps.limits.verificationTtlMs / 60_000);
  await deps.mailer.send(address, {
    subject: `Your verification code: ${code}`,
    text: [
      `Your rare-earth price alert verification code is ${code}.`,
      "",
      `Enter it with POST /v1/channels/email/verify {"code":"${code}"} within ${minutes} minutes.`,
      "Alerts are sent to this address only after it is verified.",
      "If you did not ask for this, ignore this message.",
    ].join("\n"),
    reference: `verify-${channel.id}`,
  });
  deps.logger.info({ userId, channelId: channel.id }, "verification code sent");
  return channel;
}

/** Checks a code; on success the pending email channel becomes active. */
export async function verifyEmailCode(deps: AccountsDeps, userId: string, code: string): Promise<Channel> {
  const { channels, verifications } = deps.stores;
  const pending = await verifications.get(verificationKey(userId));
  if (pending === undefined)
    throw new AppError("NOT_FOUND", "no email verification is pending: POST /v1/channels/email first");
  const v = pending.value;
  if (Date.parse(v.expiresAt) < deps.now()) {
    await verifications.delete(verificationKey(userId));
    throw new AppError("UNPROCESSABLE", "the code has expired: request a new one");
  }
  if (v.attempts >= deps.limits.verificationMaxAttempts) {
    throw new AppError("UNPROCESSABLE", "too many wrong codes: request a new one");
  }
  if (sha256(`${userId}:${code}`) !== v.codeHash) {
    await verifications.put(verificationKey(userId), { ...v, attempts: v.attempts + 1 });
    const left = deps.limits.verificationMaxAttempts - v.attempts - 1;
    throw new AppError("UNPROCESSABLE", `wrong code; ${left} attempt${left === 1 ? "" : "s"} left`, {
      details: [{ path: "code", message: "does not match the code that was sent" }],
    });
  }
  const key = `${userId}.${v.channelId ?? ""}`;
  const ch = await channels.get(key);
  if (ch === undefined) throw new AppError("NOT_FOUND", "the channel being verified was deleted");
  const active: Channel = { ...ch.value, status: "active", verifiedAt: new Date(deps.now()).toISOString() };
  await channels.put(key, active);
  await verifications.delete(verificationKey(userId));
  return active;
}
