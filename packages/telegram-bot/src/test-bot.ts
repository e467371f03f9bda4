/**
 * Runs the bot against a testkit nats-server and the fake Bot API, for the
 * integration tests: by long polling (the product's default) or by handing
 * updates to `handleUpdate` the way a webhook does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ACCOUNT_LIMITS, createUser, openStores, startTelegramLink } from "@rea/accounts";
import type { AccountsDeps } from "@rea/accounts";
import { connectBus, provision, silentLogger } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import type { User } from "@rea/contracts";
import { startFakeTelegram, startNatsServer } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle, SentMessage, TelegramCall } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Bot } from "grammy";
import { pino } from "pino";
import { chatDirectory } from "./chat-directory.js";
import { createBot } from "./create-bot.js";
import type { PricePort } from "./deps.js";
import { natsLastPrices } from "./nats-prices.js";

export interface TestBot {
  tg: FakeTelegram;
  nc: NatsConnection;
  accounts: AccountsDeps;
  clock: { now: number };
  bot: Bot;
  /** Sends a message from the chat and resolves with the bot's first reply to it. */
  send(chatId: number, text: string, from?: { first_name?: string; username?: string }): Promise<SentMessage>;
  /** Presses a button on a message and resolves with the bot's answerCallbackQuery call. */
  press(chatId: number, data: string, messageId?: number): Promise<TelegramCall>;
  /** A new account with an API key. */
  newUser(name: string): Promise<{ user: User; apiKey: string }>;
  /** Links the chat to the user through `/start <code>`, as a user does. */
  link(userId: string, chatId: number): Promise<SentMessage>;
  /** A chat id no test has used. */
  newChat(): number;
  /** A new account with a linked chat. */
  linkedUser(name: string): Promise<{ userId: string; chatId: number }>;
  /** Creates a rule with `/watch <args>` and returns its id as the reply shows it. */
  watch(chatId: number, args: string): Promise<string>;
  close(): Promise<void>;
}

export interface TestBotOptions {
  selfSignup?: boolean;
  /** "polling" (default) runs `bot.start()`; "direct" feeds `bot.handleUpdate` like a webhook */
  mode?: "polling" | "direct";
  prices?: (nc: NatsConnection) => PricePort;
}

let updateSeq = 1_000_000;
let chatSeq = 5000;

export async function startTestBot(opts: TestBotOptions = {}): Promise<TestBot> {
  const server: NatsServerHandle = await startNatsServer();
  const tg = await startFakeTelegram();
  const nc = await connectBus({ servers: server.url, name: "bot-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  const outbox = mkdtempSync(join(tmpdir(), "rea-bot-"));
  const clock = { now: Date.now() };
  const logger = pino({ level: "silent" });
  const accounts: AccountsDeps = {
    stores: await openStores(nc),
    mailer: createEmailChannel({ outboxDir: outbox, from: "alerts@localhost" }),
    limits: DEFAULT_ACCOUNT_LIMITS,
    now: () => clock.now,
    logger,
  };
  const chats = chatDirectory(accounts.stores.channels, logger);
  const bot = createBot({
    token: tg.token,
    apiRoot: tg.apiRoot,
    botInfo: tg.botInfo,
    accounts,
    prices: (opts.prices ?? natsLastPrices)(nc),
    selfSignup: opts.selfSignup ?? false,
    logger,
    now: () => clock.now,
    chats,
  });
  const mode = opts.mode ?? "polling";
  let polling: Promise<void> | undefined;
  if (mode === "polling") {
    await new Promise<void>((resolve, reject) => {
      polling = bot.start({ drop_pending_updates: false, onStart: () => resolve() });
      polling.catch(reject);
    });
  }

  async function deliver(inject: () => number, update: () => object): Promise<void> {
    if (mode === "polling") inject();
    else await bot.handleUpdate({ update_id: ++updateSeq, ...update() });
  }

  const t: TestBot = {
    tg,
    nc,
    accounts,
    clock,
    bot,
    async send(chatId, text, from) {
      const before = tg.sent.length;
      const user = { id: chatId, is_bot: false, first_name: from?.first_name ?? "Test" };
      const sender = from?.username === undefined ? user : { ...user, username: from.username };
      await deliver(
        () => tg.injectMessage(chatId, text, { id: chatId, ...from }),
        () => ({
          message: {
            message_id: ++updateSeq,
            from: sender,
            chat: { id: chatId, type: "private", first_name: user.first_name },
            date: Math.floor(Date.now() / 1000),
            text,
            ...(text.startsWith("/")
              ? { entities: [{ type: "bot_command", offset: 0, length: /^\/\S+/.exec(text)?.[0].length ?? 1 }] }
              : {}),
          },
        }),
      );
      return tg.waitForSent((m) => m.chatId === chatId && tg.sent.indexOf(m) >= before);
    },
    async press(chatId, data, messageId) {
      const before = tg.calls.filter((c) => c.method === "answerCallbackQuery").length;
      if (mode === "direct") throw new Error("press() runs the bot by long polling only");
      tg.injectCallbackQuery(chatId, data, messageId);
      const calls = await tg.waitForCalls("answerCallbackQuery", before + 1);
      return calls[before] as TelegramCall;
    },
    async newUser(name) {
      const { user, apiKey } = await createUser(accounts, { name, timezone: "Asia/Shanghai" });
      return { user, apiKey };
    },
    async link(userId, chatId) {
      const { code } = await startTelegramLink(accounts, userId, tg.botInfo.username);
      return t.send(chatId, `/start ${code}`);
    },
    newChat: () => ++chatSeq,
    async linkedUser(name) {
      const { user } = await t.newUser(name);
      const chatId = t.newChat();
      const reply = await t.link(user.id, chatId);
      if (!reply.text.startsWith("Linked")) throw new Error(`linking failed: ${reply.text}`);
      return { userId: user.id, chatId };
    },
    async watch(chatId, args) {
      const reply = await t.send(chatId, `/watch ${args}`);
      const id = /rule (r_[A-Za-z0-9]+)/.exec(reply.text)?.[1];
      if (id === undefined) throw new Error(`no rule id in: ${reply.text}`);
      return id;
    },
    async close() {
      if (polling !== undefined) {
        await bot.stop();
        await polling;
      }
      chats.stop();
      await nc.close();
      await tg.close();
      await server.stop();
      rmSync(outbox, { recursive: true, force: true });
    },
  };
  return t;
}
