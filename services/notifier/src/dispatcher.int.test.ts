import { TelegramPacing, createEmailChannel, createTelegramChannel } from "@rea/channels";
import { createLogger } from "@rea/runtime";
import { freePorts, startSmtpCapture } from "@rea/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startNotifierHarness } from "./test-harness.js";
import type { NotifierHarness } from "./test-harness.js";

let h: NotifierHarness;

beforeAll(async () => {
  h = await startNotifierHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => {
  h.smtp.clear();
  h.tg.reset();
});

describe("Dispatcher", () => {
  it("delivers an alert once to each verified channel, and never to a pending one", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0001", type: "email", address: "buyer@magnets.example" },
        { id: "c_tele0001", type: "telegram", address: "4242" },
        { id: "c_mail0002", type: "email", address: "unverified@magnets.example", status: "pending" },
      ],
    });
    const alert = h.alertFor(userId, {
      text: "PRND_OXIDE 450,000 CNY/t on 2025-02-24 (demo-fill) is at or above 450,000 CNY/t",
    });
    await h.dispatcher.dispatch(alert);
    await h.dispatcher.dispatch(alert); // a redelivery
    expect(h.smtp.messages.map((m) => m.to)).toEqual([["buyer@magnets.example"]]);
    expect(h.smtp.messages[0]?.subject).toBe("PRND_OXIDE above 450,000 CNY/t");
    expect(h.smtp.messages[0]?.text).toContain("is at or above 450,000 CNY/t");
    expect(h.tg.sent.map((m) => [String(m.chatId), m.text.split("\n")[0]])).toEqual([
      ["4242", "<b>PRND_OXIDE above 450,000 CNY/t</b>"],
    ]);
    expect(await h.delivery(alert, "c_mail0001")).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("puts Pause and Delete buttons for the rule under a Telegram alert, and none in the email", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0010", type: "email", address: "buttons@magnets.example" },
        { id: "c_tele0010", type: "telegram", address: "5010" },
      ],
    });
    await h.dispatcher.dispatch(h.alertFor(userId));
    expect(h.tg.sent[0]?.replyMarkup).toEqual({
      inline_keyboard: [
        [
          { text: "Pause rule", callback_data: "pause:r_rule0001" },
          { text: "Delete rule", callback_data: "delete:r_rule0001" },
        ],
      ],
    });
    expect(h.smtp.messages).toHaveLength(1);
    expect(h.smtp.messages[0]?.raw).not.toMatch(/pause:r_rule0001|delete:r_rule0001|Pause rule/);
  });

  it("retries only the channel that failed transiently", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0003", type: "email", address: "a@magnets.example" },
        { id: "c_tele0003", type: "telegram", address: "4343" },
      ],
    });
    const alert = h.alertFor(userId);
    h.smtp.failNext(1, 451, "try again later");
    const err = await h.dispatcher.dispatch(alert).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: expect.stringContaining("SMTP 451") });
    expect(h.tg.sent).toHaveLength(1);
    await h.dispatcher.dispatch(alert);
    expect(h.smtp.messages).toHaveLength(1);
    expect(h.tg.sent).toHaveLength(1);
  });

  it("disables a Telegram chat that blocked the bot and still sends the email", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0004", type: "email", address: "b@magnets.example" },
        { id: "c_tele0004", type: "telegram", address: "4444" },
      ],
    });
    h.tg.failNext("sendMessage", { status: 403 });
    await h.dispatcher.dispatch(h.alertFor(userId));
    expect(h.smtp.messages).toHaveLength(1);
    expect(await h.channel(userId, "c_tele0004")).toMatchObject({
      status: "disabled",
      disabledReason: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    await h.dispatcher.dispatch(h.alertFor(userId));
    expect(h.tg.calls.filter((c) => c.method === "sendMessage" && !c.failed)).toHaveLength(0);
  });

  it("waits out a short 429 retry_after and delivers", async () => {
    const userId = await h.newUser({ channels: [{ id: "c_tele0005", type: "telegram", address: "4545" }] });
    h.tg.failNext("sendMessage", { status: 429, retryAfter: 1 });
    await h.dispatcher.dispatch(h.alertFor(userId));
    expect(h.tg.sent).toHaveLength(1);
  });

  it("hands a long 429 back for a later redelivery with the wait Telegram asked for", async () => {
    const userId = await h.newUser({ channels: [{ id: "c_tele0006", type: "telegram", address: "4646" }] });
    h.tg.failNext("sendMessage", { status: 429, retryAfter: 30 });
    const err = await h.dispatcher.dispatch(h.alertFor(userId)).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
  });

  it("splits a message over 4096 characters into parts Telegram accepts, buttons on the last", async () => {
    const userId = await h.newUser({ channels: [{ id: "c_tele0007", type: "telegram", address: "4747" }] });
    const long = Array.from({ length: 300 }, (_, i) => `line ${i}: TB_OXIDE 6,475 CNY/kg <Baotou & SMM>`).join("\n");
    await h.dispatcher.dispatch(h.alertFor(userId, { text: long }));
    expect(h.tg.sent.length).toBeGreaterThan(1);
    for (const m of h.tg.sent) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(h.tg.sent.map((m) => m.text).join("\n")).toContain(
      "line 299: TB_OXIDE 6,475 CNY/kg &lt;Baotou &amp; SMM&gt;",
    );
    expect(h.tg.sent.map((m) => m.replyMarkup !== undefined)).toEqual(
      h.tg.sent.map((_, i, all) => i === all.length - 1),
    );
  });
});

/** A logger whose entries the test reads (pino levels: 40 warn, 50 error). */
function readableLogger() {
  const entries: Array<{ level: number; msg: string; reason?: string }> = [];
  const logger = createLogger("notifier", "info", { write: (line: string) => void entries.push(JSON.parse(line)) });
  return { logger, entries };
}

const telegramAt = (apiRoot: string, token = h.tg.token) =>
  createTelegramChannel({ token, apiRoot, pacing: new TelegramPacing({ perChatIntervalMs: 0 }) });

describe("failures that are not the user's", () => {
  it("keeps every Telegram chat active when the bot token is wrong, retries the alert and logs an error", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0030", type: "email", address: "token@magnets.example" },
        { id: "c_tele0030", type: "telegram", address: "5030" },
      ],
    });
    const { logger, entries } = readableLogger();
    const dispatcher = h.newDispatcher({
      providers: { ...h.providers, telegram: telegramAt(h.tg.apiRoot, "999999:WRONG") },
      logger,
    });
    const alert = h.alertFor(userId);
    const err = await dispatcher.dispatch(alert).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: "Telegram 401: Unauthorized" });
    expect(await h.channel(userId, "c_tele0030")).toMatchObject({ status: "active" });
    expect(await h.delivery(alert, "c_tele0030")).toBeUndefined();
    expect(h.smtp.messages.map((m) => m.to)).toEqual([["token@magnets.example"]]);
    expect(entries.filter((e) => e.level === 50).map((e) => e.reason)).toEqual(["Telegram 401: Unauthorized"]);
    await h.dispatcher.dispatch(alert); // the operator fixed the token
    expect(h.tg.sent.map((m) => String(m.chatId))).toEqual(["5030"]);
    expect(await h.delivery(alert, "c_tele0030")).toMatchObject({ status: "sent" });
  });

  it("hands the alert back at once when the Bot API cannot be reached, the email already sent", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_tele0031", type: "telegram", address: "5031" },
        { id: "c_mail0031", type: "email", address: "reach@magnets.example" },
      ],
    });
    const [port] = await freePorts(1);
    const dispatcher = h.newDispatcher({
      providers: { ...h.providers, telegram: telegramAt(`http://127.0.0.1:${port}`) },
    });
    const alert = h.alertFor(userId);
    const err = await dispatcher.dispatch(alert).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/^Telegram unreachable: /) });
    expect(await h.channel(userId, "c_tele0031")).toMatchObject({ status: "active" });
    expect(await h.delivery(alert, "c_mail0031")).toMatchObject({ status: "sent" });
  }, 5_000);

  it("keeps every email channel active when the SMTP login is refused, retries the alert and logs an error", async () => {
    const locked = await startSmtpCapture({ auth: { user: "alerts", pass: "right-password" } });
    const wrongLogin = createEmailChannel({
      smtpUrl: locked.url.replace("right-password", "wrong-password"),
      outboxDir: "unused",
      from: "alerts@localhost",
    });
    try {
      const userId = await h.newUser({
        channels: [{ id: "c_mail0032", type: "email", address: "login@magnets.example" }],
      });
      const { logger, entries } = readableLogger();
      const alert = h.alertFor(userId);
      const err = await h
        .newDispatcher({ providers: { ...h.providers, email: wrongLogin }, logger })
        .dispatch(alert)
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ retryable: true, message: expect.stringContaining("535") });
      expect(await h.channel(userId, "c_mail0032")).toMatchObject({ status: "active" });
      expect(await h.delivery(alert, "c_mail0032")).toBeUndefined();
      expect(entries.filter((e) => e.level === 50)).toHaveLength(1);
    } finally {
      await wrongLogin.close();
      await locked.close();
    }
  });
});

describe("failures that are final", () => {
  it("records a message Telegram cannot parse as failed and keeps the chat for the next alert", async () => {
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0033", type: "email", address: "parse@magnets.example" },
        { id: "c_tele0033", type: "telegram", address: "5033" },
      ],
    });
    const reason = "Telegram 400: Bad Request: can't parse entities: Unsupported start tag at byte offset 3";
    h.tg.failNext("sendMessage", { status: 400, description: reason.replace("Telegram 400: ", "") });
    const alert = h.alertFor(userId, { title: "refused" });
    await h.dispatcher.dispatch(alert);
    await h.dispatcher.dispatch(alert); // a redelivery
    expect(await h.delivery(alert, "c_tele0033")).toMatchObject({ status: "failed", reason });
    expect(await h.channel(userId, "c_tele0033")).toMatchObject({ status: "active" });
    expect(h.smtp.messages).toHaveLength(1);
    await h.dispatcher.dispatch(h.alertFor(userId, { title: "next" }));
    expect(h.tg.sent.map((m) => m.text.split("\n")[0])).toEqual(["<b>next</b>"]);
  });

  it('disables a Telegram chat that no longer exists (400 "chat not found")', async () => {
    const userId = await h.newUser({ channels: [{ id: "c_tele0034", type: "telegram", address: "5034" }] });
    h.tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    const alert = h.alertFor(userId);
    await h.dispatcher.dispatch(alert);
    expect(await h.delivery(alert, "c_tele0034")).toMatchObject({ status: "failed" });
    expect(await h.channel(userId, "c_tele0034")).toMatchObject({
      status: "disabled",
      disabledReason: "Telegram 400: Bad Request: chat not found",
    });
  });

  it("disables an email address the mail server rejects with 550", async () => {
    const userId = await h.newUser({
      channels: [{ id: "c_mail0035", type: "email", address: "gone@magnets.example" }],
    });
    h.smtp.failNext(1, 550, "mailbox unavailable");
    const alert = h.alertFor(userId);
    await h.dispatcher.dispatch(alert);
    expect(await h.delivery(alert, "c_mail0035")).toMatchObject({
      status: "failed",
      reason: expect.stringContaining("SMTP 550"),
    });
    expect(await h.channel(userId, "c_mail0035")).toMatchObject({ status: "disabled" });
  });
});

describe("muted channels", () => {
  it("sends nothing to a muted channel and records why; the other channel still gets the alert", async () => {
    const until = new Date(h.clock.now + 2 * 3_600_000).toISOString();
    const userId = await h.newUser({
      channels: [
        { id: "c_mail0020", type: "email", address: "awake@magnets.example" },
        { id: "c_tele0020", type: "telegram", address: "5020", mutedUntil: until },
      ],
    });
    const alert = h.alertFor(userId);
    await h.dispatcher.dispatch(alert);
    await h.dispatcher.dispatch(alert); // a redelivery
    expect(h.tg.sent).toEqual([]);
    expect(h.smtp.messages.map((m) => m.to)).toEqual([["awake@magnets.example"]]);
    expect(await h.delivery(alert, "c_tele0020")).toMatchObject({
      status: "skipped",
      reason: `muted until ${until}`,
    });
  });

  it("delivers the next alert once the channel is unmuted, and once the mute has run out", async () => {
    const userId = await h.newUser({
      channels: [
        {
          id: "c_tele0021",
          type: "telegram",
          address: "5021",
          mutedUntil: new Date(h.clock.now + 3_600_000).toISOString(),
        },
      ],
    });
    await h.dispatcher.dispatch(h.alertFor(userId, { title: "while muted" }));
    const { mutedUntil: _m, ...unmuted } = (await h.channel(userId, "c_tele0021"))!;
    await h.stores.channels.put(`${userId}.c_tele0021`, unmuted);
    await h.dispatcher.dispatch(h.alertFor(userId, { title: "after /mute off" }));
    await h.stores.channels.put(`${userId}.c_tele0021`, {
      ...unmuted,
      mutedUntil: new Date(h.clock.now - 1).toISOString(),
    });
    await h.dispatcher.dispatch(h.alertFor(userId, { title: "after the mute ran out" }));
    expect(h.tg.sent.map((m) => m.text.split("\n")[0])).toEqual([
      "<b>after /mute off</b>",
      "<b>after the mute ran out</b>",
    ]);
  });
});
