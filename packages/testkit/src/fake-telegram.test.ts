import { Bot, GrammyError, InlineKeyboard } from "grammy";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTelegram } from "./fake-telegram.js";
import type { FakeTelegram } from "./fake-telegram.js";

describe("startFakeTelegram", () => {
  let tg: FakeTelegram | undefined;
  afterEach(async () => {
    await tg?.close();
    tg = undefined;
  });

  const botFor = (fake: FakeTelegram, token = fake.token): Bot =>
    new Bot(token, { client: { apiRoot: fake.apiRoot }, botInfo: fake.botInfo });

  it("records messages grammY sends and returns Telegram-shaped messages", async () => {
    tg = await startFakeTelegram();
    const bot = botFor(tg);
    const keyboard = new InlineKeyboard().text("Mute", "mute:PRND_OXIDE");
    const first = await bot.api.sendMessage(42, "hi");
    const second = await bot.api.sendMessage(42, "<b>PRND_OXIDE</b> 444000", {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });

    expect(first).toMatchObject({ message_id: 1, chat: { id: 42, type: "private" }, text: "hi" });
    expect(second.message_id).toBe(2);
    expect(second.reply_markup).toEqual(keyboard);
    expect(tg.sent).toEqual([
      { chatId: 42, text: "hi", messageId: 1 },
      { chatId: 42, text: "<b>PRND_OXIDE</b> 444000", parseMode: "HTML", replyMarkup: keyboard, messageId: 2 },
    ]);
    expect(tg.calls.map((c) => c.method)).toEqual(["sendMessage", "sendMessage"]);
    expect(tg.calls[0]?.payload).toEqual({ chat_id: 42, text: "hi" });
  });

  it("answers getMe with the bot it impersonates", async () => {
    tg = await startFakeTelegram({ token: "777:SECRET", botUsername: "rea_test_bot" });
    const me = await new Bot(tg.token, { client: { apiRoot: tg.apiRoot } }).api.getMe();
    expect(me).toEqual(tg.botInfo);
    expect(me).toMatchObject({ id: 777, is_bot: true, username: "rea_test_bot" });
  });

  it("fails a queued call with 429 and retry_after, then succeeds", async () => {
    tg = await startFakeTelegram();
    tg.failNext("sendMessage", { status: 429, retryAfter: 7 });
    const bot = botFor(tg);

    const error = await bot.api.sendMessage(42, "hi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({
      error_code: 429,
      description: "Too Many Requests: retry after 7",
      parameters: { retry_after: 7 },
    });
    await bot.api.sendMessage(42, "hi again");
    expect(tg.sent.map((m) => m.text)).toEqual(["hi again"]);
    expect(tg.calls.map((c) => c.failed ?? false)).toEqual([true, false]);
  });

  it("uses Telegram's descriptions for blocked users and fails calls in queue order", async () => {
    tg = await startFakeTelegram();
    tg.failNext("sendMessage", { status: 403 });
    tg.failNext("sendMessage", { status: 500 }, 2);
    const bot = botFor(tg);
    const failures = [];
    for (let i = 0; i < 3; i++)
      failures.push(await bot.api.sendMessage(42, "x").catch((e: GrammyError) => e.description));
    expect(failures).toEqual([
      "Forbidden: bot was blocked by the user",
      "Internal Server Error",
      "Internal Server Error",
    ]);
    await expect(bot.api.sendMessage(42, "x")).resolves.toMatchObject({ text: "x" });
  });

  it("rejects a wrong token with 401 Unauthorized", async () => {
    tg = await startFakeTelegram();
    const error = await botFor(tg, "999:WRONG")
      .api.sendMessage(42, "hi")
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect(error).toMatchObject({ error_code: 401, description: "Unauthorized" });
    expect(tg.sent).toEqual([]);
  });

  it("answers unknown methods with 404 and accepts form-encoded and query parameters", async () => {
    tg = await startFakeTelegram();
    const unknown = await fetch(`${tg.apiRoot}/bot${tg.token}/sendTelepathy`, { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });

    const form = await fetch(`${tg.apiRoot}/bot${tg.token}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ chat_id: "42", text: "123" }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true, result: { chat: { id: 42 }, text: "123" } });
    const query = await fetch(`${tg.apiRoot}/bot${tg.token}/getChat?chat_id=7`);
    expect(await query.json()).toMatchObject({ ok: true, result: { id: 7, type: "private" } });
  });

  it("delivers an injected command to a long-polling bot", async () => {
    tg = await startFakeTelegram();
    const bot = botFor(tg);
    const received: Array<{ chat: number; text: string; match: string }> = [];
    bot.command("subscribe", async (ctx) => {
      received.push({ chat: ctx.chat.id, text: ctx.message?.text ?? "", match: ctx.match });
      await ctx.reply(`Subscribed to ${ctx.match}`);
    });
    const polling = bot.start({ timeout: 30 });

    await tg.waitForCalls("getUpdates", 1);
    tg.injectMessage(42, "/subscribe PRND_OXIDE", { id: 42, first_name: "Li", username: "li_buyer" });
    const reply = await tg.waitForSent((m) => m.text.startsWith("Subscribed"));
    await bot.stop();
    await polling;

    expect(received).toEqual([{ chat: 42, text: "/subscribe PRND_OXIDE", match: "PRND_OXIDE" }]);
    expect(reply).toMatchObject({ chatId: 42, text: "Subscribed to PRND_OXIDE" });
  });

  it("delivers a button press on a sent message and records the answer", async () => {
    tg = await startFakeTelegram();
    const bot = botFor(tg);
    const alert = await bot.api.sendMessage(42, "TB_OXIDE 6525 CNY/kg", {
      reply_markup: new InlineKeyboard().text("Mute", "mute:TB_OXIDE"),
    });
    bot.callbackQuery(/^mute:/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Muted" });
      await ctx.editMessageText(`${ctx.callbackQuery.message?.text ?? ""} (muted)`);
    });
    const polling = bot.start({ timeout: 30 });
    tg.injectCallbackQuery(42, "mute:TB_OXIDE");

    const [edit] = await tg.waitForCalls("editMessageText", 1);
    await bot.stop();
    await polling;
    expect(edit?.payload).toMatchObject({
      chat_id: 42,
      message_id: alert.message_id,
      text: "TB_OXIDE 6525 CNY/kg (muted)",
    });
    expect((await tg.waitForCalls("answerCallbackQuery", 1))[0]?.payload).toMatchObject({ text: "Muted" });
  });

  it("confirms updates below the offset so they are delivered once", async () => {
    tg = await startFakeTelegram();
    const bot = botFor(tg);
    const first = tg.injectUpdate({ message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "a" } });
    expect(tg.injectMessage(1, "b")).toBe(first + 1);
    expect(await bot.api.getUpdates({ limit: 1 })).toHaveLength(1);
    const rest = await bot.api.getUpdates({ offset: first + 1 });
    expect(rest.map((u) => u.message?.text)).toEqual(["b"]);
    expect(await bot.api.getUpdates({ offset: first + 2, timeout: 0 })).toEqual([]);
  });

  it("ends a pending long poll with no updates when closed", async () => {
    tg = await startFakeTelegram();
    const poll = botFor(tg).api.getUpdates({ timeout: 30 });
    await tg.waitForCalls("getUpdates", 1);
    await tg.close();
    tg = undefined;
    await expect(poll).resolves.toEqual([]);
  });

  it("times out waiting for a message, listing what was sent", async () => {
    tg = await startFakeTelegram();
    await botFor(tg).api.sendMessage(42, "DY_OXIDE 1705 CNY/kg");
    await expect(tg.waitForSent((m) => m.chatId === 7, { timeoutMs: 100 })).rejects.toThrow(
      /Timed out after 100 ms.*sent 1 message\(s\):\n {2}1\. to 42: "DY_OXIDE 1705 CNY\/kg"/s,
    );
  });

  it("forgets recorded traffic and queued failures on reset", async () => {
    tg = await startFakeTelegram();
    const bot = botFor(tg);
    await bot.api.sendMessage(42, "hi");
    tg.failNext("sendMessage", { status: 400 });
    tg.reset();
    expect(tg.calls).toEqual([]);
    expect(tg.sent).toEqual([]);
    await expect(bot.api.sendMessage(42, "hi")).resolves.toMatchObject({ text: "hi" });
  });
});
