/**
 * Sorts nodemailer failures. A 5xx reply to the recipient or the message (RCPT
 * TO, DATA) is permanent for that address. Everything else is transient: 4xx
 * replies and connection trouble, and the failures of the notifier's own mail
 * setup (login refused, TLS, a server that turns the session or the sender
 * away), which every user's mail would hit alike. Those are flagged
 * `misconfigured` for an operator rather than disabling every email channel;
 * nodemailer reports a refused login as code EAUTH with reply 535, so the code
 * and the SMTP step are looked at before the reply code.
 */
import { DeliveryError } from "../channel.js";

/** nodemailer codes of a wrong mail setup: credentials, TLS, configuration */
const SETUP_CODES = new Set(["EAUTH", "ENOAUTH", "EOAUTH2", "ETLS", "EREQUIRETLS", "ECONFIG", "EPROXY"]);

/** nodemailer codes of a connection that failed or dropped */
const CONNECTION_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS", "ECONNREFUSED", "ECONNRESET"]);

/** SMTP steps whose rejection is about this recipient or this message, not the session */
const MESSAGE_STEPS = new Set(["RCPT TO", "DATA"]);

interface NodemailerError {
  responseCode?: number;
  code?: string;
  /** the SMTP step that failed: CONN, EHLO, STARTTLS, AUTH PLAIN, MAIL FROM, RCPT TO, DATA, API */
  command?: string;
  message?: string;
  response?: string;
}

export function classifySmtpError(e: unknown): DeliveryError {
  const err = e as NodemailerError;
  const detail = err.response ?? err.message ?? String(e);
  const reply = typeof err.responseCode === "number" ? err.responseCode : undefined;
  const label = `SMTP ${err.code ?? reply ?? "failure"}: ${detail}`;
  const setupStep = err.command !== undefined && err.command !== "API" && !MESSAGE_STEPS.has(err.command);
  if ((err.code !== undefined && SETUP_CODES.has(err.code)) || (setupStep && reply !== undefined && reply >= 500)) {
    return new DeliveryError(label, { permanent: false, misconfigured: true, cause: e });
  }
  if (err.code !== undefined && CONNECTION_CODES.has(err.code)) {
    return new DeliveryError(label, { permanent: false, cause: e });
  }
  // 503 (bad sequence of commands) is about the session, not the message: a new one can succeed
  if (reply !== undefined && reply >= 500 && reply < 600 && reply !== 503) {
    return new DeliveryError(`SMTP ${reply}: ${detail}`, { permanent: true, cause: e });
  }
  if (reply !== undefined) return new DeliveryError(`SMTP ${reply}: ${detail}`, { permanent: false, cause: e });
  if (err.code === "EENVELOPE") return new DeliveryError(`address rejected: ${detail}`, { permanent: true, cause: e });
  return new DeliveryError(label, { permanent: false, cause: e });
}
