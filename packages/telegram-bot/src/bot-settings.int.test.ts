/**
 * The bot fed update by update through `handleUpdate`, as in webhook mode, with
 * self-signup on: accounts created from a chat, quiet hours, mutes, and what a
 * user sees when something breaks on our side.
 */
import { userByApiKey } from "@rea/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mutedUntil } from "./mute-store.js";
import { SOMETHING_WENT_WRONG } from "./replies.js";
import { startTestBot } from "./test-bot.js";
import type { TestBot } from "./test-bot.js";

let t: TestBot;

beforeAll(async () => {
  t = await startTestBot({
    mode: "direct",
    selfSignup: true,
    prices: () => ({ last: () => Promise.reject(new Error("connect ECONNREFUSED 10.0.0.7:4222")) }),
  });
});
afterAll(async () => {
  await t?.close();
});

const newChat = (): number => t.newChat();
const linkedUser = (name: string) => t.linkedUser(name);

describe("self-signup", () => {
  it("creates an account for a new chat on /start, with a working API key", async () => {
    const chatId = newChat();
    const reply = await t.send(chatId, "/start", { first_name: "Li Wei" });
    expect(reply.text).toContain("Welcome, Li Wei! I created an account for this chat");
    const apiKey = /(rea_[A-Za-z0-9]+)/.exec(reply.text)?.[1];
    expect(apiKey).toBeDefined();
    const user = await userByApiKey(t.accounts, apiKey!);
    expect(user).toMatchObject({ name: "Li Wei", timezone: "Asia/Shanghai" });
    const channels = [...(await t.accounts.stores.channels.entries(`${user!.id}.*`)).values()].map((v) => v.value);
    expect(channels).toEqual([
      expect.objectContaining({ type: "telegram", address: String(chatId), status: "active" }),
    ]);
    expect((await t.send(chatId, "/list")).text).toContain("You have no rules yet");
  });

  it("does not create a second account for a chat that is linked", async () => {
    const chatId = newChat();
    await t.send(chatId, "/start", { first_name: "Once" });
    const before = (await t.accounts.stores.users.keys()).length;
    const reply = await t.send(chatId, "/start", { first_name: "Once" });
    expect(reply.text).toMatch(/^This chat is linked to Once \(u_[A-Za-z0-9]+\)/);
    expect((await t.accounts.stores.users.keys()).length).toBe(before);
  });

  it("offers /start to chats that are not linked", async () => {
    expect((await t.send(newChat(), "/list")).text).toContain("Send /start and I will create one for this chat");
  });
});

describe("quiet hours", () => {
  it("sets, shows and removes the account's quiet hours", async () => {
    const { userId, chatId } = await linkedUser("Sleeper");
    expect((await t.send(chatId, "/quiet")).text).toContain("No quiet hours set");
    const set = await t.send(chatId, "/quiet 22:00-7:00");
    expect(set.text).toContain("Quiet hours set: 22:00-07:00 (Asia/Shanghai)");
    expect((await t.accounts.stores.users.get(userId))?.value.quietHours).toEqual({ start: "22:00", end: "07:00" });
    expect((await t.send(chatId, "/quiet")).text).toBe(
      "Quiet hours: 22:00-07:00 (Asia/Shanghai). /quiet off removes them.",
    );
    expect((await t.send(chatId, "/quiet off")).text).toBe("Quiet hours removed: alerts arrive as they fire.");
    expect((await t.accounts.stores.users.get(userId))?.value.quietHours).toBeUndefined();
  });

  it("answers impossible times with an example and changes nothing", async () => {
    const { userId, chatId } = await linkedUser("Night owl");
    const reply = await t.send(chatId, "/quiet 25:00-07:00");
    expect(reply.text).toContain('a time of day as "HH:MM"');
    expect(reply.text).toContain("/quiet 22:00-07:00");
    expect((await t.accounts.stores.users.get(userId))?.value.quietHours).toBeUndefined();
  });
});

describe("mute", () => {
  it("mutes the chat for a while on its channel record and unmutes it", async () => {
    const { userId, chatId } = await linkedUser("Muter");
    const [channel] = [...(await t.accounts.stores.channels.entries(`${userId}.*`)).values()].map((v) => v.value);
    t.clock.now = Date.parse("2025-03-11T08:00:00Z");
    const reply = await t.send(chatId, "/mute 2h");
    expect(reply.text).toBe(
      "Muted for 2h: no alerts in this chat until 2025-03-11 18:00 Asia/Shanghai. /mute off ends it sooner.",
    );
    expect(await mutedUntil(t.accounts.stores, userId, channel!.id, t.clock.now)).toBe("2025-03-11T10:00:00.000Z");
    const stored = async () => (await t.accounts.stores.channels.get(`${userId}.${channel!.id}`))?.value;
    expect(await stored()).toMatchObject({ status: "active", mutedUntil: "2025-03-11T10:00:00.000Z" });
    expect((await t.send(chatId, "/mute")).text).toContain("muted until 2025-03-11 18:00 Asia/Shanghai");
    expect(await mutedUntil(t.accounts.stores, userId, channel!.id, t.clock.now + 2 * 3_600_000 + 1)).toBeUndefined();
    expect((await t.send(chatId, "/mute off")).text).toBe("Unmuted: alerts arrive here again.");
    expect(await mutedUntil(t.accounts.stores, userId, channel!.id, t.clock.now)).toBeUndefined();
    expect(await stored()).not.toHaveProperty("mutedUntil");
  });

  it("answers a malformed or too long mute with an example", async () => {
    const { chatId } = await linkedUser("Impatient");
    expect((await t.send(chatId, "/mute a while")).text).toContain("/mute 2h");
    expect((await t.send(chatId, "/mute 45d")).text).toContain("at most 30 days");
  });
});

describe("failures on our side", () => {
  it("apologises without details when a dependency fails", async () => {
    const reply = await t.send(newChat(), "/price PRND_OXIDE");
    expect(reply.text).toBe(SOMETHING_WENT_WRONG);
    expect(reply.text).not.toContain("ECONNREFUSED");
  });
});
