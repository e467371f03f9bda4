import { TypedBucket, connectBus, provision, silentLogger } from "@rea/bus";
import { TelegramPacing, createEmailChannel, createTelegramChannel } from "@rea/channels";
import { BUCKETS, ChannelSchema, DeliveryRecordSchema } from "@rea/contracts";
import type { Alert, Channel, DeliveryRecord } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { startFakeTelegram, startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle, SmtpCapture } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Dispatcher, deliveryKey } from "./dispatcher.js";

let server: NatsServerHandle;
let nc: NatsConnection;
let smtp: SmtpCapture;
let tg: FakeTelegram;
let channels: TypedBucket<Channel>;
let deliveries: TypedBucket<DeliveryRecord>;
let dispatcher: Dispatcher;
let seq = 0;

beforeAll(async () => {
  server = await startNatsServer();
  nc = await connectBus({ servers: server.url, name: "test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  smtp = await startSmtpCapture();
  tg = await startFakeTelegram();
  channels = await TypedBucket.open(nc, BUCKETS.CHANNELS, ChannelSchema);
  deliveries = await TypedBucket.open(nc, BUCKETS.DELIVERIES, DeliveryRecordSchema);
  dispatcher = new Dispatcher({
    channels,
    deliveries,
    providers: {
      email: createEmailChannel({ smtpUrl: smtp.url, outboxDir: "unused", from: "alerts@localhost" }),
      telegram: createTelegramChannel({
        token: tg.token,
        apiRoot: tg.apiRoot,
        maxInlineRetrySeconds: 2,
        pacing: new TelegramPacing({ perChatIntervalMs: 0 }),
      }),
    },
    logger: createLogger("notifier", "silent"),
    now: Date.now,
  });
});
afterAll(async () => {
  await nc.close();
  await smtp.close();
  await tg.close();
  await server.stop();
});
beforeEach(() => {
  smtp.clear();
  tg.reset();
});

const chan = (
  userId: string,
  id: string,
  type: "email" | "telegram",
  address: string,
  status: Channel["status"] = "active",
): Channel => ({
  id,
  userId,
  type,
  address,
  status,
  createdAt: "2025-02-01T00:00:00Z",
});

async function user(chans: Array<[string, "email" | "telegram", string, Channel["status"]?]>): Promise<string> {
  const userId = `u_test${String(++seq).padStart(8, "0")}`;
  for (const [id, type, address, status] of chans)
    await channels.put(`${userId}.${id}`, chan(userId, id, type, address, status));
  return userId;
}

const alertFor = (
  userId: string,
  text = "PRND_OXIDE 450,000 CNY/t on 2025-02-24 (demo-fill) is at or above 450,000 CNY/t",
): Alert => ({
  id: `r_rule0001:1:${++seq}`,
  ruleId: "r_rule0001",
  ruleRevision: 1,
  userId,
  instrument: "PRND_OXIDE",
  condition: { type: "above", value: 450000 },
  price: { value: 450000, unit: "CNY/t", ts: "2025-02-24T00:00:00Z", source: "smm", seq },
  threshold: { value: 450000, unit: "CNY/t", quoteValue: 450000, quoteUnit: "CNY/t" },
  firedAt: "2025-02-24T00:00:00Z",
  channels: ["email", "telegram"],
  title: "PRND_OXIDE above 450,000 CNY/t",
  text,
});

describe("Dispatcher", () => {
  it("delivers an alert once to each verified channel, and never to a pending one", async () => {
    const userId = await user([
      ["c_mail0001", "email", "buyer@magnets.example"],
      ["c_tele0001", "telegram", "4242"],
      ["c_mail0002", "email", "unverified@magnets.example", "pending"],
    ]);
    const alert = alertFor(userId);
    await dispatcher.dispatch(alert);
    await dispatcher.dispatch(alert); // a redelivery
    expect(smtp.messages.map((m) => m.to)).toEqual([["buyer@magnets.example"]]);
    expect(smtp.messages[0]?.subject).toBe("PRND_OXIDE above 450,000 CNY/t");
    expect(smtp.messages[0]?.text).toContain("is at or above 450,000 CNY/t");
    expect(tg.sent.map((m) => [String(m.chatId), m.text.split("\n")[0]])).toEqual([
      ["4242", "<b>PRND_OXIDE above 450,000 CNY/t</b>"],
    ]);
    expect((await deliveries.get(deliveryKey(alert.id, "c_mail0001")))?.value).toMatchObject({
      status: "sent",
      attempts: 1,
    });
  });

  it("retries only the channel that failed transiently", async () => {
    const userId = await user([
      ["c_mail0003", "email", "a@magnets.example"],
      ["c_tele0003", "telegram", "4343"],
    ]);
    const alert = alertFor(userId);
    smtp.failNext(1, 451, "try again later");
    const err = await dispatcher.dispatch(alert).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, message: expect.stringContaining("SMTP 451") });
    expect(tg.sent).toHaveLength(1);
    await dispatcher.dispatch(alert);
    expect(smtp.messages).toHaveLength(1);
    expect(tg.sent).toHaveLength(1);
  });

  it("disables a Telegram chat that blocked the bot and still sends the email", async () => {
    const userId = await user([
      ["c_mail0004", "email", "b@magnets.example"],
      ["c_tele0004", "telegram", "4444"],
    ]);
    tg.failNext("sendMessage", { status: 403 });
    await dispatcher.dispatch(alertFor(userId));
    expect(smtp.messages).toHaveLength(1);
    const ch = (await channels.get(`${userId}.c_tele0004`))?.value;
    expect(ch).toMatchObject({
      status: "disabled",
      disabledReason: "Telegram 403: Forbidden: bot was blocked by the user",
    });
    await dispatcher.dispatch(alertFor(userId));
    expect(tg.calls.filter((c) => c.method === "sendMessage" && !c.failed)).toHaveLength(0);
  });

  it("waits out a short 429 retry_after and delivers", async () => {
    const userId = await user([["c_tele0005", "telegram", "4545"]]);
    tg.failNext("sendMessage", { status: 429, retryAfter: 1 });
    await dispatcher.dispatch(alertFor(userId));
    expect(tg.sent).toHaveLength(1);
  });

  it("hands a long 429 back for a later redelivery with the wait Telegram asked for", async () => {
    const userId = await user([["c_tele0006", "telegram", "4646"]]);
    tg.failNext("sendMessage", { status: 429, retryAfter: 30 });
    const err = await dispatcher.dispatch(alertFor(userId)).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, retryAfterMs: 30_000 });
  });

  it("splits a message over 4096 characters into parts Telegram accepts", async () => {
    const userId = await user([["c_tele0007", "telegram", "4747"]]);
    const long = Array.from({ length: 300 }, (_, i) => `line ${i}: TB_OXIDE 6,475 CNY/kg <Baotou & SMM>`).join("\n");
    await dispatcher.dispatch(alertFor(userId, long));
    expect(tg.sent.length).toBeGreaterThan(1);
    for (const m of tg.sent) expect(m.text.length).toBeLessThanOrEqual(4096);
    expect(tg.sent.map((m) => m.text).join("\n")).toContain("line 299: TB_OXIDE 6,475 CNY/kg &lt;Baotou &amp; SMM&gt;");
  });
});
