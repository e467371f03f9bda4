import nodemailer from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import { startSmtpCapture } from "./smtp-capture.js";
import type { SmtpCapture } from "./smtp-capture.js";

function transport(port: number, auth?: { user: string; pass: string }) {
  return nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
    ...(auth === undefined ? {} : { auth }),
  });
}

const alert = {
  from: "alerts@rare-earth.example",
  to: ["buyer@example.com", "analyst@example.com"],
  subject: "PRND_OXIDE above 440000 CNY/t",
  text: "PRND_OXIDE is 444000 CNY/t (SMM, 2025-02-28).",
  html: "<p>PRND_OXIDE is <b>444000 CNY/t</b></p>",
  headers: { "X-Alert-Id": "alert-42" },
};

describe("startSmtpCapture", () => {
  let smtp: SmtpCapture | undefined;
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
  });

  it("captures a message sent with nodemailer, parsed", async () => {
    smtp = await startSmtpCapture();
    expect(smtp.url).toBe(`smtp://127.0.0.1:${smtp.port}`);
    const info = await transport(smtp.port).sendMail(alert);

    const mail = await smtp.waitFor((m) => m.subject.startsWith("PRND_OXIDE"));
    expect(mail.from).toBe("alerts@rare-earth.example");
    expect(mail.to).toEqual(["buyer@example.com", "analyst@example.com"]);
    expect(mail.subject).toBe("PRND_OXIDE above 440000 CNY/t");
    expect(mail.text.trim()).toBe("PRND_OXIDE is 444000 CNY/t (SMM, 2025-02-28).");
    expect(mail.html).toContain("<b>444000 CNY/t</b>");
    expect(mail.headers["x-alert-id"]).toBe("alert-42");
    expect(mail.messageId).toBe(info.messageId);
    expect(mail.raw).toContain("Subject: PRND_OXIDE above 440000 CNY/t");
    expect(smtp.messages).toEqual([mail]);
  });

  it("resolves waits for messages that arrive later", async () => {
    smtp = await startSmtpCapture();
    const waiting = smtp.waitForCount(2);
    const mailer = transport(smtp.port);
    await mailer.sendMail({ ...alert, subject: "first" });
    await mailer.sendMail({ ...alert, subject: "second" });
    expect((await waiting).map((m) => m.subject)).toEqual(["first", "second"]);
  });

  it("times out listing what was received", async () => {
    smtp = await startSmtpCapture();
    await transport(smtp.port).sendMail(alert);
    await expect(smtp.waitFor((m) => m.subject === "never", { timeoutMs: 100 })).rejects.toThrow(
      /Timed out after 100 ms.*received 1 message\(s\):\n.*buyer@example\.com.*PRND_OXIDE above 440000/s,
    );
  });

  it("fails the next delivery with a transient code, then accepts again", async () => {
    smtp = await startSmtpCapture();
    smtp.failNext(1, 451);
    const mailer = transport(smtp.port);
    await expect(mailer.sendMail(alert)).rejects.toMatchObject({ responseCode: 451 });
    expect(smtp.messages).toHaveLength(0);
    await mailer.sendMail(alert);
    expect(smtp.messages).toHaveLength(1);
  });

  it("fails deliveries permanently with a custom message", async () => {
    smtp = await startSmtpCapture();
    smtp.failNext(2, 550, "Mailbox unavailable");
    const mailer = transport(smtp.port);
    await expect(mailer.sendMail(alert)).rejects.toMatchObject({ responseCode: 550 });
    await expect(mailer.sendMail(alert)).rejects.toThrow(/Mailbox unavailable/);
    await mailer.sendMail(alert);
    expect(smtp.messages).toHaveLength(1);
  });

  it("clear() forgets captured messages and pending failures", async () => {
    smtp = await startSmtpCapture();
    const mailer = transport(smtp.port);
    await mailer.sendMail(alert);
    smtp.failNext(1, 451);
    smtp.clear();
    expect(smtp.messages).toHaveLength(0);
    await mailer.sendMail(alert);
    expect(smtp.messages).toHaveLength(1);
  });

  it("enforces authentication when credentials are configured", async () => {
    const auth = { user: "notifier", pass: "s3cret" };
    smtp = await startSmtpCapture({ auth });
    expect(smtp.url).toBe(`smtp://notifier:s3cret@127.0.0.1:${smtp.port}`);

    await expect(transport(smtp.port).sendMail(alert)).rejects.toMatchObject({ responseCode: 530 });
    await expect(transport(smtp.port, { ...auth, pass: "wrong" }).sendMail(alert)).rejects.toMatchObject({
      code: "EAUTH",
      responseCode: 535,
    });
    await transport(smtp.port, auth).sendMail(alert);
    expect(smtp.messages).toHaveLength(1);
  });

  it("accepts mail sent to the url it advertises", async () => {
    smtp = await startSmtpCapture({ auth: { user: "notifier", pass: "p@ss:word" } });
    await nodemailer.createTransport(smtp.url + "?ignoreTLS=true").sendMail(alert);
    expect(smtp.messages).toHaveLength(1);
  });
});
