/**
 * Quiet hours end to end through the notifier's parts: alerts held during the
 * user's window, one digest per channel when it ends, and that digest sent once
 * across redeliveries, concurrent sweeps, restarts and failures.
 * Asia/Shanghai is UTC+8: 15:00Z is 23:00 there, 23:00Z is 07:00 the next day.
 */
import { digestKey } from "@rea/contracts";
import type { Alert } from "@rea/contracts";
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

const NIGHT = { start: "22:00", end: "07:00" };
const at = (iso: string): void => {
  h.clock.now = Date.parse(iso);
};
const mailsTo = (address: string) => h.smtp.messages.filter((m) => m.to.includes(address));
const chatSent = (chatId: string) => h.tg.sent.filter((m) => String(m.chatId) === chatId);

/** A user in Asia/Shanghai with an email and a Telegram channel; `null`: no quiet hours. */
async function nightOwl(n: number, quietHours: { start: string; end: string } | null = NIGHT) {
  const mail = `night${n}@magnets.example`;
  const chat = `77${n}`;
  const userId = await h.newUser({
    timezone: "Asia/Shanghai",
    ...(quietHours === null ? {} : { quietHours }),
    channels: [
      { id: `c_mail${String(n).padStart(6, "0")}`, type: "email", address: mail },
      { id: `c_tele${String(n).padStart(6, "0")}`, type: "telegram", address: chat },
    ],
  });
  return {
    userId,
    mail,
    chat,
    mailId: `c_mail${String(n).padStart(6, "0")}`,
    chatId: `c_tele${String(n).padStart(6, "0")}`,
  };
}

async function holdAt(iso: string, userId: string, title: string): Promise<Alert> {
  at(iso);
  const alert = h.alertFor(userId, { title, text: `${title}: first line\nsecond line` });
  await h.dispatcher.dispatch(alert);
  return alert;
}

describe("quiet hours", () => {
  it("holds alerts inside a window that crosses midnight and sends one digest per channel when it ends", async () => {
    const u = await nightOwl(1);
    const a1 = await holdAt("2025-03-11T15:00:00Z", u.userId, "PRND_OXIDE above 450,000 CNY/t"); // 23:00
    const a2 = await holdAt("2025-03-11T18:00:00Z", u.userId, "TB_OXIDE up 5% in 30d"); // 02:00
    await h.dispatcher.dispatch(a2); // a redelivery: held once
    const a3 = await holdAt("2025-03-11T20:00:00Z", u.userId, "DY_OXIDE below 1,600 CNY/kg"); // 04:00
    expect(mailsTo(u.mail)).toEqual([]);
    expect(chatSent(u.chat)).toEqual([]);
    expect(await h.delivery(a1, u.mailId)).toMatchObject({
      status: "held",
      reason: "quiet hours 22:00-07:00 Asia/Shanghai",
    });

    const sweeper = h.newSweeper();
    at("2025-03-11T16:30:00Z"); // 00:30
    await sweeper.sweep();
    at("2025-03-11T22:59:00Z"); // 06:59
    await sweeper.sweep();
    expect(mailsTo(u.mail)).toEqual([]);
    expect(chatSent(u.chat)).toEqual([]);

    at("2025-03-11T23:00:00Z"); // 07:00
    await sweeper.sweep();
    const heading = "3 alerts while quiet hours were on (22:00-07:00 Asia/Shanghai)";
    const mails = mailsTo(u.mail);
    expect(mails.map((m) => m.subject)).toEqual([heading]);
    const titles = ["PRND_OXIDE above 450,000 CNY/t", "TB_OXIDE up 5% in 30d", "DY_OXIDE below 1,600 CNY/kg"];
    const lines = mails[0]!.text.split("\n");
    expect(lines.filter((l) => l.startsWith("• "))).toEqual(titles.map((t) => `• ${t}`));
    expect(lines).toContain("  TB_OXIDE up 5% in 30d: first line");
    const chats = chatSent(u.chat);
    expect(chats).toHaveLength(1);
    expect(chats[0]!.text.split("\n")[0]).toBe(`<b>${heading}</b>`);
    expect(chats[0]!.replyMarkup).toBeUndefined();
    for (const a of [a1, a2, a3]) {
      expect(await h.delivery(a, u.mailId)).toMatchObject({ status: "sent", providerId: mails[0]!.messageId });
      expect(await h.delivery(a, u.chatId)).toMatchObject({ status: "sent", providerId: String(chats[0]!.messageId) });
    }

    await sweeper.sweep();
    await h.dispatcher.dispatch(a1); // a late redelivery
    expect(mailsTo(u.mail)).toHaveLength(1);
    expect(chatSent(u.chat)).toHaveLength(1);

    const after = await holdAt("2025-03-11T23:05:00Z", u.userId, "PRND_OXIDE above 460,000 CNY/t");
    expect(mailsTo(u.mail).map((m) => m.subject)).toEqual([heading, "PRND_OXIDE above 460,000 CNY/t"]);
    expect(await h.delivery(after, u.chatId)).toMatchObject({ status: "sent" });
  });

  it("holds nothing when quiet hours are unset or start and end are the same", async () => {
    const unset = await nightOwl(2, null);
    const same = await nightOwl(3, { start: "22:00", end: "22:00" });
    await holdAt("2025-03-11T15:00:00Z", unset.userId, "unset: sent at once");
    await holdAt("2025-03-11T15:00:00Z", same.userId, "same ends: sent at once");
    expect(mailsTo(unset.mail).map((m) => m.subject)).toEqual(["unset: sent at once"]);
    expect(chatSent(same.chat).map((m) => m.text.split("\n")[0])).toEqual(["<b>same ends: sent at once</b>"]);
  });

  it("sends one digest when two notifiers sweep at the same moment", async () => {
    const u = await nightOwl(4);
    await holdAt("2025-03-11T15:00:00Z", u.userId, "first");
    await holdAt("2025-03-11T16:00:00Z", u.userId, "second");
    at("2025-03-11T23:00:00Z");
    await Promise.all([h.newSweeper().sweep(), h.newSweeper().sweep(), h.newSweeper().sweep()]);
    await h.newSweeper().sweep();
    expect(mailsTo(u.mail).map((m) => m.subject)).toEqual([
      "2 alerts while quiet hours were on (22:00-07:00 Asia/Shanghai)",
    ]);
    expect(chatSent(u.chat)).toHaveLength(1);
  });

  it("a digest recorded as sent before a restart is not sent again; its alerts are recorded as sent", async () => {
    const u = await nightOwl(5);
    const a = await holdAt("2025-03-11T15:00:00Z", u.userId, "first");
    const b = await holdAt("2025-03-11T16:00:00Z", u.userId, "second");
    // the previous process sent the email digest and stopped right after recording it
    await h.stores.held.put(digestKey(u.userId, u.mailId), {
      kind: "digest",
      id: "d-before-restart",
      userId: u.userId,
      channelId: u.mailId,
      state: "sent",
      alertIds: [a.id, b.id],
      attempts: 1,
      startedAt: "2025-03-11T23:00:00.000Z",
      providerId: "<before-restart@magnets.example>",
    });
    at("2025-03-11T23:00:30Z");
    await h.newSweeper().sweep();
    expect(mailsTo(u.mail)).toEqual([]);
    expect(chatSent(u.chat)).toHaveLength(1);
    for (const x of [a, b]) {
      expect(await h.delivery(x, u.mailId)).toMatchObject({
        status: "sent",
        providerId: "<before-restart@magnets.example>",
      });
    }
    await h.newSweeper().sweep();
    expect(mailsTo(u.mail)).toEqual([]);
  });

  it("a digest a stopped notifier had claimed but not recorded is sent once after its lease", async () => {
    const u = await nightOwl(6);
    const a = await holdAt("2025-03-11T15:00:00Z", u.userId, "claimed before the stop");
    at("2025-03-11T23:00:00Z");
    await h.stores.held.put(digestKey(u.userId, u.mailId), {
      kind: "digest",
      id: "d-cut-short",
      userId: u.userId,
      channelId: u.mailId,
      state: "sending",
      alertIds: [a.id],
      attempts: 1,
      startedAt: "2025-03-11T23:00:00.000Z",
    });
    const restarted = h.newSweeper({ leaseMs: 60_000 });
    await restarted.sweep();
    expect(mailsTo(u.mail)).toEqual([]);
    at("2025-03-11T23:01:01Z");
    await restarted.sweep();
    await restarted.sweep();
    expect(mailsTo(u.mail).map((m) => m.subject)).toEqual([
      "1 alert while quiet hours were on (22:00-07:00 Asia/Shanghai)",
    ]);
    expect(await h.delivery(a, u.mailId)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("retries a digest that failed transiently on the next sweep, and disables a channel that failed for good", async () => {
    const u = await nightOwl(7);
    const a = await holdAt("2025-03-11T15:00:00Z", u.userId, "first");
    const b = await holdAt("2025-03-11T16:00:00Z", u.userId, "second");
    at("2025-03-11T23:00:00Z");
    h.smtp.failNext(1, 451, "try again later");
    h.tg.failNext("sendMessage", { status: 403 });
    const sweeper = h.newSweeper();
    await sweeper.sweep();
    expect(mailsTo(u.mail)).toEqual([]);
    expect(await h.delivery(a, u.mailId)).toMatchObject({ status: "held" });
    expect(await h.channel(u.userId, u.chatId)).toMatchObject({
      status: "disabled",
      disabledReason: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    expect(await h.delivery(b, u.chatId)).toMatchObject({
      status: "failed",
      reason: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    await sweeper.sweep();
    await sweeper.sweep();
    expect(mailsTo(u.mail).map((m) => m.subject)).toEqual([
      "2 alerts while quiet hours were on (22:00-07:00 Asia/Shanghai)",
    ]);
    expect(await h.delivery(b, u.mailId)).toMatchObject({ status: "sent", attempts: 2 });
    expect(chatSent(u.chat)).toEqual([]);
  });

  it("records a digest Telegram refuses (400 can't parse entities) as failed and keeps the chat", async () => {
    const u = await nightOwl(12);
    const a = await holdAt("2025-03-11T15:00:00Z", u.userId, "refused in a digest");
    at("2025-03-11T23:00:00Z");
    h.tg.failNext("sendMessage", { status: 400, description: "Bad Request: can't parse entities" });
    const sweeper = h.newSweeper();
    await sweeper.sweep();
    await sweeper.sweep();
    expect(await h.delivery(a, u.chatId)).toMatchObject({
      status: "failed",
      reason: "Telegram 400: Bad Request: can't parse entities",
    });
    expect(await h.channel(u.userId, u.chatId)).toMatchObject({ status: "active" });
    expect(chatSent(u.chat)).toEqual([]);
    expect(mailsTo(u.mail)).toHaveLength(1);
  });

  it("records held alerts as skipped when their channel is muted as the window ends", async () => {
    const u = await nightOwl(8);
    const a = await holdAt("2025-03-11T15:00:00Z", u.userId, "held, then muted");
    const until = "2025-03-12T01:00:00.000Z";
    const chat = (await h.channel(u.userId, u.chatId))!;
    await h.stores.channels.put(`${u.userId}.${u.chatId}`, { ...chat, mutedUntil: until });
    at("2025-03-11T23:00:00Z");
    await h.newSweeper().sweep();
    expect(chatSent(u.chat)).toEqual([]);
    expect(mailsTo(u.mail)).toHaveLength(1);
    expect(await h.delivery(a, u.chatId)).toMatchObject({ status: "skipped", reason: `muted until ${until}` });
  });

  it("a long digest reaches Telegram in parts it accepts, every alert in it", async () => {
    const u = await nightOwl(9);
    const long = "TB_OXIDE 7,200 CNY/kg <Baotou & SMM> ".repeat(6);
    for (let i = 0; i < 40; i++) {
      at(`2025-03-11T15:${String(i).padStart(2, "0")}:00Z`);
      await h.dispatcher.dispatch(h.alertFor(u.userId, { title: `alert ${i}`, text: long }));
    }
    at("2025-03-11T23:00:00Z");
    await h.newSweeper().sweep();
    const parts = chatSent(u.chat);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(p.text.length).toBeLessThanOrEqual(4096);
    const text = parts.map((p) => p.text).join("\n");
    expect([...text.matchAll(/• alert (\d+)/g)].map((m) => Number(m[1]))).toEqual(
      Array.from({ length: 40 }, (_, i) => i),
    );
    expect(text).toContain("&lt;Baotou &amp; SMM&gt;");
    expect(mailsTo(u.mail)).toHaveLength(1);
  });
});
