/**
 * Email through nodemailer: over SMTP when SMTP_URL is set, otherwise written as
 * `.eml` files into an outbox folder (a complete message a mail client can open).
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import type { SendMailOptions, Transporter } from "nodemailer";
import type { Channel, OutgoingMessage, SendResult } from "../channel.js";
import { classifySmtpError } from "./smtp-errors.js";

export interface EmailChannelOptions {
  /** smtp://user:pass@host:587 or smtps://...; unset: write to outboxDir */
  smtpUrl?: string | undefined;
  outboxDir: string;
  from: string;
  /**
   * how long an SMTP server may take to accept the connection, to greet, and to answer any
   * command (default 10, 10 and 30 s, against nodemailer's 2 min, 30 s and 10 min): a server
   * that hangs fails the send as transient instead of holding a delivery slot for minutes
   */
  timeoutsMs?: { connection: number; greeting: number; socket: number };
}

const SMTP_TIMEOUTS_MS = { connection: 10_000, greeting: 10_000, socket: 30_000 };

/**
 * @example const email = createEmailChannel({ outboxDir: "var/outbox", from: "alerts@localhost" });
 */
export function createEmailChannel(opts: EmailChannelOptions): Channel {
  return opts.smtpUrl === undefined
    ? new OutboxEmail(opts.outboxDir, opts.from)
    : new SmtpEmail(opts.smtpUrl, opts.from, opts.timeoutsMs ?? SMTP_TIMEOUTS_MS);
}

function mailOf(from: string, to: string, m: OutgoingMessage): SendMailOptions {
  return {
    from,
    to,
    subject: m.subject,
    text: m.text,
    ...(m.reference === undefined ? {} : { headers: { "X-Alert-Id": m.reference } }),
  };
}

class SmtpEmail implements Channel {
  readonly type = "email" as const;
  readonly describe: string;
  private readonly transport: Transporter;

  constructor(
    url: string,
    private readonly from: string,
    timeouts: { connection: number; greeting: number; socket: number },
  ) {
    const u = new URL(url);
    this.describe = `SMTP ${u.hostname}:${u.port || (u.protocol === "smtps:" ? 465 : 587)}`;
    // timeouts given in the URL's query win over these
    this.transport = nodemailer.createTransport({
      url,
      connectionTimeout: timeouts.connection,
      greetingTimeout: timeouts.greeting,
      socketTimeout: timeouts.socket,
    });
  }

  async send(address: string, m: OutgoingMessage): Promise<SendResult> {
    try {
      const info = (await this.transport.sendMail(mailOf(this.from, address, m))) as { messageId?: string };
      return { providerId: info.messageId ?? "" };
    } catch (e) {
      throw classifySmtpError(e);
    }
  }

  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}

class OutboxEmail implements Channel {
  readonly type = "email" as const;
  readonly describe: string;
  private readonly transport: Transporter;
  private seq = 0;

  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {
    this.describe = `outbox folder ${dir}`;
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  }

  async send(address: string, m: OutgoingMessage): Promise<SendResult> {
    const info = (await this.transport.sendMail(mailOf(this.from, address, m))) as {
      message: Buffer;
      messageId: string;
    };
    await mkdir(this.dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const ref = (m.reference ?? "mail").replace(/[^A-Za-z0-9_.-]/g, "_");
    const name = `${stamp}-${ref}-${process.pid}-${this.seq++}.eml`;
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, info.message);
    await rename(tmp, join(this.dir, name));
    return { providerId: name };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
