/**
 * Sorts nodemailer failures: SMTP 4xx and connection trouble are transient; a 5xx
 * reply or a rejected envelope is permanent for that address. Authentication
 * failures are the operator's to fix, so they are retried rather than disabling
 * every user's channel.
 */
import { DeliveryError } from "../channel.js";

const TRANSIENT_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "EAUTH",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETLS",
]);

export function classifySmtpError(e: unknown): DeliveryError {
  const err = e as { responseCode?: number; code?: string; message?: string; response?: string };
  const detail = err.response ?? err.message ?? String(e);
  if (typeof err.responseCode === "number") {
    if (err.responseCode >= 500) {
      return new DeliveryError(`SMTP ${err.responseCode}: ${detail}`, { permanent: true, cause: e });
    }
    return new DeliveryError(`SMTP ${err.responseCode}: ${detail}`, { permanent: false, cause: e });
  }
  if (err.code === "EENVELOPE") return new DeliveryError(`address rejected: ${detail}`, { permanent: true, cause: e });
  if (err.code !== undefined && TRANSIENT_CODES.has(err.code)) {
    return new DeliveryError(`SMTP ${err.code}: ${detail}`, { permanent: false, cause: e });
  }
  return new DeliveryError(`SMTP failure: ${detail}`, { permanent: false, cause: e });
}
