import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_ACCOUNT_LIMITS, openStores } from "@rea/accounts";
import { connectBus, provision, silentLogger } from "@rea/bus";
import { createEmailChannel } from "@rea/channels";
import { createLogger } from "@rea/runtime";
import { createBot, natsLastPrices } from "@rea/telegram-bot";
import { startFakeTelegram, startNatsServer } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { telegramWebhookRoutes } from "./telegram-webhook.js";

const SECRET = "webhook-secret-0123456789";
let server: NatsServerHandle;
let nc: NatsConnection;
let tg: FakeTelegram;
let app: ReturnType<typeof telegramWebhookRoutes>;

beforeAll(async () => {
  server = await startNatsServer();
  tg = await startFakeTelegram();
  nc = await connectBus({ servers: server.url, name: "webhook-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  const logger = createLogger("api", "silent");
  const bot = createBot({
    token: tg.token,
    apiRoot: tg.apiRoot,
    botInfo: tg.botInfo,
    accounts: {
      stores: await openStores(nc),
      mailer: createEmailChannel({ outboxDir: mkdtempSync(join(tmpdir(), "rea-webhook-")), from: "alerts@localhost" }),
      limits: DEFAULT_ACCOUNT_LIMITS,
      now: Date.now,
      logger,
    },
    prices: natsLastPrices(nc),
    selfSignup: false,
    logger,
    now: Date.now,
  });
  app = telegramWebhookRoutes(bot, SECRET);
});
afterAll(async () => {
  await nc?.close();
  await tg?.close();
  await server?.stop();
});

const update = (chatId: number, text: string) => ({
  update_id: chatId,
  message: {
    message_id: 1,
    from: { id: chatId, is_bot: false, first_name: "Test" },
    chat: { id: chatId, type: "private", first_name: "Test" },
    date: Math.floor(Date.now() / 1000),
    text,
    entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0]!.length }],
  },
});

function post(body: unknown, secret?: string): Promise<Response> {
  return Promise.resolve(
    app.request("/telegram/webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        ...(secret === undefined ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }),
      },
      body: JSON.stringify(body),
    }),
  );
}

describe("POST /telegram/webhook", () => {
  it("handles an update that carries the secret token", async () => {
    const res = await post(update(4242, "/help"), SECRET);
    expect(res.status).toBe(200);
    const reply = await tg.waitForSent((m) => m.chatId === 4242);
    expect(reply.text).toContain("/watch PRND_OXIDE above 450000");
  });

  it("refuses an update without the secret token, or with a wrong one, and does nothing", async () => {
    expect((await post(update(4343, "/help"))).status).toBe(401);
    expect((await post(update(4344, "/help"), "wrong-secret")).status).toBe(401);
    await post(update(4345, "/help"), SECRET);
    await tg.waitForSent((m) => m.chatId === 4345);
    expect(tg.sent.filter((m) => m.chatId === 4343 || m.chatId === 4344)).toEqual([]);
  });
});
