/**
 * A reply while the Bot API cannot be reached: the update fails and is logged,
 * it does not retry for ever and hold the bot's update loop.
 */
import type { AccountsDeps } from "@rea/accounts";
import { freePorts, startFakeTelegram } from "@rea/testkit";
import type { FakeTelegram } from "@rea/testkit";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBot } from "./create-bot.js";

let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg?.close();
});

describe("a bot whose Bot API is unreachable", () => {
  it("gives up on the reply and finishes the update", async () => {
    const [closed] = await freePorts(1);
    const bot = createBot({
      token: tg.token,
      apiRoot: `http://127.0.0.1:${closed}`,
      botInfo: tg.botInfo,
      // /help reads no account and no price
      accounts: {} as AccountsDeps,
      prices: { last: () => Promise.resolve(undefined) },
      chats: { channelOf: () => Promise.resolve(undefined), remember: () => undefined, stop: () => undefined },
      selfSignup: false,
      logger: pino({ level: "silent" }),
      now: Date.now,
    });
    const chat = { id: 7001, type: "private" as const, first_name: "Test" };
    const outcome = await bot
      .handleUpdate({
        update_id: 1,
        message: {
          message_id: 1,
          from: { id: 7001, is_bot: false, first_name: "Test" },
          chat,
          date: Math.floor(Date.now() / 1000),
          text: "/help",
          entities: [{ type: "bot_command", offset: 0, length: 5 }],
        },
      })
      .then(
        () => "finished",
        () => "failed",
      );
    // retried for ever, the update would never finish and the test would time out
    expect(outcome).toBe("finished");
  });
});
