/**
 * The SMTP channel against a real SMTP server (the testkit's capture, with a
 * login): a refused login is the operator's to fix and is retried, a rejected
 * message is final for that address.
 */
import { createServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { startSmtpCapture } from "@rea/testkit";
import type { SmtpCapture } from "@rea/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createEmailChannel } from "./email-channel.js";

let smtp: SmtpCapture;

beforeAll(async () => {
  smtp = await startSmtpCapture({ auth: { user: "alerts", pass: "right-password" } });
});
afterAll(async () => {
  await smtp?.close();
});
beforeEach(() => {
  smtp.clear();
});

const message = { subject: "PRND_OXIDE above 450,000 CNY/t", text: "PRND_OXIDE 450,000 CNY/t on 2025-02-24 (smm)" };
const email = (url: string) => createEmailChannel({ smtpUrl: url, outboxDir: "unused", from: "alerts@localhost" });

describe("SMTP channel", () => {
  it("delivers with the right login", async () => {
    const ch = email(smtp.url);
    await ch.send("buyer@magnets.example", message);
    await ch.close();
    expect(smtp.messages.map((m) => m.to)).toEqual([["buyer@magnets.example"]]);
  });

  it("treats a refused login (535) as transient and the operator's to fix, never as the address's fault", async () => {
    const ch = email(smtp.url.replace("right-password", "wrong-password"));
    await expect(ch.send("buyer@magnets.example", message)).rejects.toMatchObject({
      permanent: false,
      disablesChannel: false,
      misconfigured: true,
      retryable: true,
      message: "SMTP EAUTH: 535 Invalid username or password",
    });
    await ch.close();
  });

  it("keeps a 5xx rejection of the message permanent", async () => {
    smtp.failNext(1, 550, "mailbox unavailable");
    const ch = email(smtp.url);
    await expect(ch.send("gone@magnets.example", message)).rejects.toMatchObject({
      permanent: true,
      disablesChannel: true,
      misconfigured: false,
      message: "SMTP 550: 550 mailbox unavailable",
    });
    await ch.close();
  });

  it("fails a send to a server that never greets as transient, within its timeout", async () => {
    // accepts the connection and says nothing, as a hung mail server does
    const sockets: Socket[] = [];
    const mute = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const { port } = mute.address() as AddressInfo;
    const ch = createEmailChannel({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      outboxDir: "unused",
      from: "alerts@localhost",
      timeoutsMs: { connection: 500, greeting: 500, socket: 1000 },
    });
    // with nodemailer's own 30 s greeting timeout this would outlast the test's timeout
    await expect(ch.send("buyer@magnets.example", message)).rejects.toMatchObject({ permanent: false });
    await ch.close();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => mute.close(resolve));
  });

  it("keeps a 4xx rejection transient", async () => {
    smtp.failNext(1, 451, "try again later");
    const ch = email(smtp.url);
    await expect(ch.send("busy@magnets.example", message)).rejects.toMatchObject({
      permanent: false,
      misconfigured: false,
      message: "SMTP 451: 451 try again later",
    });
    await ch.close();
  });
});
