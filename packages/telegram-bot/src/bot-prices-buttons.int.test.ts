/**
 * The bot by long polling against the fake Bot API and a real nats-server:
 * prices, help, and the Pause and Delete buttons under alerts.
 */
import { ownRule, rulesOf } from "@rea/accounts";
import { publishJson } from "@rea/bus";
import { TelegramPacing, createTelegramChannel } from "@rea/channels";
import { PriceMessageSchema, priceMsgId, subjects } from "@rea/contracts";
import type { PriceMessage } from "@rea/contracts";
import { jetstream } from "@nats-io/jetstream";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { alertButtons } from "./alert-buttons.js";
import { startTestBot } from "./test-bot.js";
import type { TestBot } from "./test-bot.js";

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot();
});
afterAll(async () => {
  await t?.close();
});

const newChat = (): number => t.newChat();
const linkedUser = (name: string) => t.linkedUser(name);
const watch = (chatId: number, args: string) => t.watch(chatId, args);

describe("prices", () => {
  const price: PriceMessage = {
    instrument: "PRND_OXIDE",
    price: 444000,
    unit: "CNY/t",
    ts: "2025-02-28T00:00:00Z",
    source: "smm",
  };

  beforeAll(async () => {
    await publishJson(jetstream(t.nc), subjects.price(price.instrument), PriceMessageSchema, price, {
      msgId: priceMsgId(price),
    });
  });

  it("shows the last published price with unit, time and source", async () => {
    const { chatId } = await linkedUser("Price checker");
    const reply = await t.send(chatId, "/price prnd_oxide");
    expect(reply.text).toBe(
      [
        "PRND_OXIDE: 444,000 CNY/t",
        "Praseodymium-neodymium oxide, SMM average",
        "at 2025-02-28 08:00 Asia/Shanghai, source smm",
      ].join("\n"),
    );
  });

  it("shows times in UTC to a chat that is not linked", async () => {
    expect((await t.send(newChat(), "/price PRND_OXIDE")).text).toContain("at 2025-02-28 00:00 UTC, source smm");
  });

  it("says when an instrument has no price yet, or is unknown", async () => {
    expect((await t.send(newChat(), "/price TB_OXIDE")).text).toBe(
      "No price for TB_OXIDE yet (Terbium oxide, SMM average).",
    );
    expect((await t.send(newChat(), "/price NOPE")).text).toContain("I don't know the instrument NOPE");
    expect((await t.send(newChat(), "/price")).text).toContain("e.g. /price PRND_OXIDE");
  });

  it("lists the instruments with units and last prices", async () => {
    const reply = await t.send(newChat(), "/instruments");
    expect(reply.text).toContain(
      "PRND_OXIDE - Praseodymium-neodymium oxide, SMM average (CNY/t): 444,000 on 2025-02-28",
    );
    expect(reply.text).toContain("TB_OXIDE - Terbium oxide, SMM average (CNY/kg): no price yet");
    expect(reply.text).toContain("USDCNY - US dollar in Chinese yuan (CNY/USD)");
  });
});

describe("help and unknown input", () => {
  it("lists the commands with examples", async () => {
    const reply = await t.send(newChat(), "/help");
    for (const c of ["/watch", "/list", "/pause", "/resume", "/delete", "/price", "/instruments", "/quiet", "/mute"]) {
      expect(reply.text).toContain(c);
    }
    expect(reply.text).toContain("/watch SZ300748 down 4% 15m");
  });

  it("points an unknown command and plain text at /help", async () => {
    expect((await t.send(newChat(), "/sell PRND_OXIDE")).text).toBe(
      "I don't know the command /sell. /help lists what I understand.",
    );
    expect((await t.send(newChat(), "hello")).text).toContain("/help lists them all");
  });

  it("still answers when Telegram asks it to slow down", async () => {
    const chatId = newChat();
    t.tg.failNext("sendMessage", { status: 429, retryAfter: 1 });
    expect((await t.send(chatId, "/help")).text).toContain("/watch");
    expect(t.tg.calls.some((c) => c.method === "sendMessage" && c.failed === true)).toBe(true);
  });
});

describe("buttons under alerts", () => {
  /** Sends an alert with the Pause and Delete buttons to the chat, as the notifier does. */
  async function alertWithButtons(chatId: number, ruleId: string): Promise<number> {
    const tg = createTelegramChannel({
      token: t.tg.token,
      apiRoot: t.tg.apiRoot,
      pacing: new TelegramPacing({ perChatIntervalMs: 0 }),
    });
    const { providerId } = await tg.send(String(chatId), {
      subject: "PRND_OXIDE above 450,000 CNY/t",
      text: "PRND_OXIDE 451,000 CNY/t",
      buttons: alertButtons(ruleId),
    });
    return Number(providerId);
  }

  it("sends the alert with both buttons", async () => {
    const { chatId } = await linkedUser("Alerted");
    const messageId = await alertWithButtons(chatId, "r_8Zk2mQ4xT1aB9cD0");
    const sent = t.tg.sent.find((m) => m.messageId === messageId);
    expect(sent?.replyMarkup).toEqual({
      inline_keyboard: [
        [
          { text: "Pause rule", callback_data: "pause:r_8Zk2mQ4xT1aB9cD0" },
          { text: "Delete rule", callback_data: "delete:r_8Zk2mQ4xT1aB9cD0" },
        ],
      ],
    });
  });

  it("pauses the rule from the Pause button and removes the buttons", async () => {
    const { userId, chatId } = await linkedUser("Pauser");
    const id = await watch(chatId, "PRND_OXIDE above 450000");
    const messageId = await alertWithButtons(chatId, id);
    const answer = await t.press(chatId, `pause:${id}`, messageId);
    expect(answer.payload["text"]).toBe(`Paused ${id}. /resume ${id} turns it back on.`);
    expect((await ownRule(t.accounts, userId, id)).rule.enabled).toBe(false);
    const edit = await vi.waitFor(() => {
      const found = t.tg.calls.find(
        (c) => c.method === "editMessageReplyMarkup" && c.payload["message_id"] === messageId,
      );
      if (found === undefined) throw new Error("the buttons were not removed");
      return found;
    });
    expect(edit.payload["reply_markup"]).toEqual({ inline_keyboard: [] });
  });

  it("deletes the rule from the Delete button", async () => {
    const { userId, chatId } = await linkedUser("Deleter");
    const id = await watch(chatId, "TB_OXIDE up 5% 30d");
    const messageId = await alertWithButtons(chatId, id);
    const answer = await t.press(chatId, `delete:${id}`, messageId);
    expect(answer.payload["text"]).toBe(`Deleted ${id}.`);
    expect(await rulesOf(t.accounts, userId)).toEqual([]);
  });

  it("does not touch another user's rule from a button", async () => {
    const owner = await linkedUser("Button owner");
    const other = await linkedUser("Button presser");
    const id = await watch(owner.chatId, "PRND_OXIDE above 450000");
    const messageId = await alertWithButtons(other.chatId, id);
    const answer = await t.press(other.chatId, `delete:${id}`, messageId);
    expect(answer.payload["text"]).toBe(`No rule ${id} among your rules.`);
    expect((await ownRule(t.accounts, owner.userId, id)).rule).toMatchObject({ enabled: true });
  });

  it("answers a button from a chat that is not linked, and an unknown button", async () => {
    const chatId = newChat();
    await t.send(chatId, "/help");
    expect((await t.press(chatId, "pause:r_8Zk2mQ4xT1aB9cD0")).payload["text"]).toContain("not linked");
    expect((await t.press(chatId, "launch:rockets")).payload["text"]).toBe("This button is no longer active.");
  });
});
