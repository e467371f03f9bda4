/**
 * The bot by long polling against the fake Bot API and a real nats-server:
 * linking a chat and managing rules from it, as a chat user sees it.
 */
import { ownRule, rulesOf, startTelegramLink } from "@rea/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("linking a chat", () => {
  it("links the chat with /start <code> and names the account", async () => {
    const { user } = await t.newUser("Magnet buyer");
    const chatId = newChat();
    const reply = await t.link(user.id, chatId);
    expect(reply.text).toContain(`Linked: this chat now belongs to Magnet buyer (${user.id})`);
    const channels = [...(await t.accounts.stores.channels.entries(`${user.id}.*`)).values()].map((v) => v.value);
    expect(channels).toEqual([
      expect.objectContaining({ type: "telegram", address: String(chatId), status: "active" }),
    ]);
    expect((await t.send(chatId, "/start")).text).toContain(`This chat is linked to Magnet buyer (${user.id})`);
  });

  it("refuses a code that was already used, and leaves the second chat unlinked", async () => {
    const { user } = await t.newUser("Analyst");
    const { code } = await startTelegramLink(t.accounts, user.id, undefined);
    expect((await t.send(newChat(), `/start ${code}`)).text).toContain("Linked");
    const other = newChat();
    const reply = await t.send(other, `/start ${code}`);
    expect(reply.text).toContain("This code is unknown or was already used");
    expect(reply.text).toContain("POST /v1/channels/telegram");
    expect((await t.send(other, "/list")).text).toContain("This chat is not linked to an account yet");
  });

  it("refuses an expired code", async () => {
    const { user } = await t.newUser("Late reader");
    const { code } = await startTelegramLink(t.accounts, user.id, undefined);
    t.clock.now += 16 * 60_000;
    try {
      const reply = await t.send(newChat(), `/start ${code}`);
      expect(reply.text).toContain("This code has expired");
    } finally {
      t.clock.now -= 16 * 60_000;
    }
  });

  it("refuses a made-up code", async () => {
    expect((await t.send(newChat(), "/start NOTACODE")).text).toContain("unknown or was already used");
  });

  it("explains how to get a code when /start comes without one", async () => {
    const reply = await t.send(newChat(), "/start");
    expect(reply.text).toContain("Welcome");
    expect(reply.text).toContain("POST /v1/channels/telegram");
    expect(reply.text).toContain("/start <code>");
  });

  it("tells a chat that is not linked how to link before anything else", async () => {
    for (const command of ["/watch PRND_OXIDE above 450000", "/list", "/pause r_8Zk2mQ4xT1aB9cD0", "/quiet off"]) {
      expect((await t.send(newChat(), command)).text, command).toContain("not linked to an account yet");
    }
  });

  it("treats a chat whose channel was disabled as not linked", async () => {
    const { userId, chatId } = await linkedUser("Blocked bot");
    const [entry] = [...(await t.accounts.stores.channels.entries(`${userId}.*`)).entries()];
    const [key, { value }] = entry!;
    await t.accounts.stores.channels.put(key, { ...value, status: "disabled", disabledReason: "bot was blocked" });
    expect((await t.send(chatId, "/list")).text).toContain("not linked to an account yet");
  });
});

describe("rules from the chat", () => {
  it("creates the issue's example rules with /watch, visible through the account", async () => {
    const { userId, chatId } = await linkedUser("Watcher");
    const reply = await t.send(chatId, "/watch PRND_OXIDE above 450000");
    expect(reply.text).toContain("Watching PRND_OXIDE above 450,000 CNY/t");
    const tb = await watch(chatId, "TB_OXIDE up 5% 30d");
    const jl = await watch(chatId, "SZ300748 down 4% 15m cooldown 1h");
    const rules = await rulesOf(t.accounts, userId);
    expect(rules.map((r) => r.condition).sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { type: "above", value: 450000 },
      { type: "change", direction: "up", pct: 5, window: "30d" },
      { type: "change", direction: "down", pct: 4, window: "15m" },
    ]);
    expect(rules.find((r) => r.id === tb)).toMatchObject({ instrument: "TB_OXIDE", unit: "CNY/kg", enabled: true });
    expect(rules.find((r) => r.id === jl)).toMatchObject({ instrument: "SZ300748", cooldown: "1h" });
  });

  it("answers a malformed /watch with what is wrong and examples", async () => {
    const { userId, chatId } = await linkedUser("Typo");
    for (const [command, problem] of [
      ["/watch", "tell me what to watch"],
      ["/watch PRND_OXIDE soars 5%", '"soars" is not a condition'],
      ["/watch TB_OXIDE up 5%", "over what window?"],
      ["/watch PRND_OXIDE above lots", '"lots" is not a price'],
    ] as const) {
      const reply = await t.send(chatId, command);
      expect(reply.text, command).toContain(problem);
      expect(reply.text, command).toContain("/watch PRND_OXIDE above 450000");
      expect(reply.text, command).toContain("/watch TB_OXIDE up 5% 30d");
    }
    expect(await rulesOf(t.accounts, userId)).toEqual([]);
  });

  it("names an unknown instrument and points at /instruments", async () => {
    const { userId, chatId } = await linkedUser("Explorer");
    const reply = await t.send(chatId, "/watch UNOBTAINIUM above 5");
    expect(reply.text).toBe("I don't know the instrument UNOBTAINIUM. /instruments lists them.");
    expect(await rulesOf(t.accounts, userId)).toEqual([]);
  });

  it("refuses a threshold unit that cannot be converted", async () => {
    const { chatId } = await linkedUser("Unit mixer");
    const reply = await t.send(chatId, "/watch PRND_OXIDE above 40 CNY/share");
    expect(reply.text).toContain("PRND_OXIDE is quoted in CNY/t; a threshold in CNY/share cannot be converted");
  });

  it("lists the account's rules with their ids, and only theirs", async () => {
    const a = await linkedUser("Lister");
    const b = await linkedUser("Neighbour");
    expect((await t.send(a.chatId, "/list")).text).toContain("You have no rules yet");
    const first = await watch(a.chatId, "PRND_OXIDE above 450000");
    const second = await watch(a.chatId, "DY_OXIDE below 1,600 once");
    const theirs = await watch(b.chatId, "TB_OXIDE up 5% 30d");
    await t.send(a.chatId, `/pause ${second}`);
    const list = await t.send(a.chatId, "/list");
    expect(list.text).toContain("Your rules (2):");
    expect(list.text).toContain(`${first}  PRND_OXIDE above 450,000 CNY/t`);
    expect(list.text).toContain(`${second}  DY_OXIDE below 1,600 CNY/kg (paused, once)`);
    expect(list.text).not.toContain(theirs);
  });

  it("pauses, resumes and deletes a rule by id", async () => {
    const { userId, chatId } = await linkedUser("Switcher");
    const id = await watch(chatId, "PRND_OXIDE above 450000");
    expect((await t.send(chatId, `/pause ${id}`)).text).toBe(
      `Paused ${id}: PRND_OXIDE above 450,000 CNY/t. /resume ${id} turns it back on.`,
    );
    expect((await ownRule(t.accounts, userId, id)).rule.enabled).toBe(false);
    expect((await t.send(chatId, `/pause ${id}`)).text).toContain("already paused");
    expect((await t.send(chatId, `/resume ${id}`)).text).toContain(`Resumed ${id}`);
    expect((await ownRule(t.accounts, userId, id)).rule.enabled).toBe(true);
    expect((await t.send(chatId, `/delete ${id}`)).text).toBe(`Deleted ${id}: PRND_OXIDE above 450,000 CNY/t.`);
    expect(await rulesOf(t.accounts, userId)).toEqual([]);
    expect((await t.send(chatId, `/delete ${id}`)).text).toContain(`No rule ${id} among your rules`);
  });

  it("answers another user's rule id with not found and leaves the rule alone", async () => {
    const owner = await linkedUser("Owner");
    const intruder = await linkedUser("Intruder");
    const id = await watch(owner.chatId, "PRND_OXIDE above 450000");
    for (const command of ["pause", "resume", "delete"]) {
      const reply = await t.send(intruder.chatId, `/${command} ${id}`);
      expect(reply.text, command).toBe(`No rule ${id} among your rules. /list shows them with their ids.`);
    }
    expect((await ownRule(t.accounts, owner.userId, id)).rule).toMatchObject({ enabled: true, revision: 1 });
  });

  it("explains a missing or malformed rule id", async () => {
    const { chatId } = await linkedUser("Forgetful");
    expect((await t.send(chatId, "/pause")).text).toContain("which rule? e.g. /pause r_");
    expect((await t.send(chatId, "/delete 42")).text).toContain('"42" is not a rule id');
  });
});
