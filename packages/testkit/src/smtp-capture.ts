// An in-process SMTP server that captures alert emails for assertions: every
// accepted message is kept raw and parsed, and the next deliveries can be made
// to fail with a chosen SMTP reply code to exercise retry and bounce handling.

import type { AddressInfo } from "node:net";
import PostalMime from "postal-mime";
import { SMTPServer } from "smtp-server";
import type { SMTPServerDataStream, SMTPServerSession } from "smtp-server";
import { createWaitQueue } from "./wait-queue.js";
import type { WaitOptions } from "./wait-queue.js";

/** One message accepted by the capture server. */
export interface CapturedMail {
  /** Envelope sender (MAIL FROM), or the From header address if the envelope was empty. */
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  html: string | undefined;
  /** Header values by lower-cased name; the first occurrence wins. */
  headers: Record<string, string>;
  messageId: string | undefined;
  raw: string;
}

/** Options for {@link startSmtpCapture}. */
export interface SmtpCaptureOptions {
  /** Require AUTH PLAIN/LOGIN with exactly these credentials. */
  auth?: { user: string; pass: string };
}

/** A running capture server. */
export interface SmtpCapture {
  readonly port: number;
  /** `smtp://127.0.0.1:PORT`, with `user:pass@` when auth is required. */
  readonly url: string;
  /** Accepted messages in arrival order. */
  readonly messages: CapturedMail[];
  /** Resolves with the first captured (or future) message matching the predicate. */
  waitFor(predicate: (m: CapturedMail) => boolean, opts?: WaitOptions): Promise<CapturedMail>;
  /** Resolves with the first `n` messages once at least `n` have arrived. */
  waitForCount(n: number, opts?: WaitOptions): Promise<CapturedMail[]>;
  /** Rejects the next `n` messages at the end of DATA with this SMTP code. */
  failNext(n: number, code: number, message?: string): void;
  /** Forgets captured messages and pending failures. */
  clear(): void;
  close(): Promise<void>;
}

interface SmtpError extends Error {
  responseCode: number;
}

function describeMessages(messages: CapturedMail[]): string {
  if (messages.length === 0) return "no messages were received";
  const lines = messages.map((m, i) => `  ${i + 1}. to ${m.to.join(", ")}: ${JSON.stringify(m.subject)}`);
  return `received ${messages.length} message(s):\n${lines.join("\n")}`;
}

function readStream(stream: SMTPServerDataStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    stream.once("error", reject);
  });
}

async function toCapturedMail(raw: string, session: SMTPServerSession): Promise<CapturedMail> {
  const email = await PostalMime.parse(raw);
  const headers: Record<string, string> = {};
  for (const header of email.headers) {
    if (!(header.key in headers)) headers[header.key] = header.value;
  }
  const { mailFrom, rcptTo } = session.envelope;
  return {
    from: mailFrom === false ? (email.from?.address ?? "") : mailFrom.address,
    to: rcptTo.map((r) => r.address),
    subject: email.subject ?? "",
    text: email.text ?? "",
    html: email.html,
    headers,
    messageId: email.messageId,
    raw,
  };
}

/**
 * Starts an SMTP server on 127.0.0.1 (free port, no TLS) that captures mail.
 *
 * @example
 * const smtp = await startSmtpCapture();
 * // point the notifier at smtp.url, trigger an alert...
 * const mail = await smtp.waitFor((m) => m.subject.includes("PRND_OXIDE"));
 * smtp.failNext(1, 451); // next delivery gets a transient failure
 * await smtp.close();
 */
export async function startSmtpCapture(opts: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const messages: CapturedMail[] = [];
  const failures: Array<{ code: number; message: string }> = [];
  const waits = createWaitQueue(() => describeMessages(messages));
  const credentials = opts.auth;

  const server = new SMTPServer({
    logger: false,
    hideSTARTTLS: true,
    disabledCommands: ["STARTTLS"],
    authOptional: credentials === undefined,
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    closeTimeout: 250,
    onAuth(auth, _session, callback) {
      const accepted =
        credentials === undefined || (auth.username === credentials.user && auth.password === credentials.pass);
      if (accepted) {
        callback(null, { user: auth.username ?? "" });
      } else {
        const err = new Error("Invalid username or password") as SmtpError;
        err.responseCode = 535;
        callback(err);
      }
    },
    onData(stream, session, callback) {
      readStream(stream)
        .then(async (raw) => {
          const failure = failures.shift();
          if (failure !== undefined) {
            const err = new Error(failure.message) as SmtpError;
            err.responseCode = failure.code;
            callback(err);
            return;
          }
          messages.push(await toCapturedMail(raw, session));
          callback();
          waits.notify();
        })
        .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.server.off("error", reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  const userInfo =
    credentials === undefined ? "" : `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.pass)}@`;

  return {
    port,
    url: `smtp://${userInfo}127.0.0.1:${port}`,
    messages,
    waitFor(predicate, waitOpts = {}) {
      return waits.wait(() => messages.find(predicate), "a matching email", waitOpts.timeoutMs);
    },
    waitForCount(n, waitOpts = {}) {
      const match = (): CapturedMail[] | undefined => (messages.length >= n ? messages.slice(0, n) : undefined);
      return waits.wait(match, `${n} email(s)`, waitOpts.timeoutMs);
    },
    failNext(n, code, message) {
      const text = message ?? `${code >= 500 ? "Permanent" : "Temporary"} failure (simulated by SMTP capture)`;
      for (let i = 0; i < n; i++) failures.push({ code, message: text });
    },
    clear() {
      messages.length = 0;
      failures.length = 0;
    },
    close() {
      waits.failAll("SMTP capture closed while waiting for email");
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
