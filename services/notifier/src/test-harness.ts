/**
 * The notifier's real parts for integration tests: a nats-server, an SMTP
 * capture, a fake Telegram Bot API, the buckets, and a clock the test sets.
 */
import { TypedBucket, connectBus, provision, silentLogger } from "@rea/bus";
import { TelegramPacing, createEmailChannel, createTelegramChannel } from "@rea/channels";
import type { Channel as Provider } from "@rea/channels";
import { BUCKETS, ChannelSchema, DeliveryRecordSchema, HeldEntrySchema, UserSchema, deliveryKey } from "@rea/contracts";
import type { Alert, Channel, ChannelType, DeliveryRecord, HeldEntry, QuietHours, User } from "@rea/contracts";
import { createLogger } from "@rea/runtime";
import { startFakeTelegram, startNatsServer, startSmtpCapture } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle, SmtpCapture } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import type { Logger } from "pino";
import { DigestSweeper } from "./digest-sweeper.js";
import type { DigestSweeperDeps } from "./digest-sweeper.js";
import { Dispatcher } from "./dispatcher.js";

export interface Stores {
  channels: TypedBucket<Channel>;
  deliveries: TypedBucket<DeliveryRecord>;
  users: TypedBucket<User>;
  held: TypedBucket<HeldEntry>;
}

export interface UserSpec {
  timezone?: string;
  quietHours?: QuietHours;
  channels: Array<{ id: string; type: ChannelType; address: string; status?: Channel["status"]; mutedUntil?: string }>;
}

export interface NotifierHarness {
  server: NatsServerHandle;
  nc: NatsConnection;
  smtp: SmtpCapture;
  tg: FakeTelegram;
  stores: Stores;
  providers: Partial<Record<ChannelType, Provider>>;
  /** the clock the dispatcher and sweepers read; tests move it */
  clock: { now: number };
  dispatcher: Dispatcher;
  /** a dispatcher with other providers or a logger to read (the harness's silent one by default) */
  newDispatcher(opts?: { providers?: Partial<Record<ChannelType, Provider>>; logger?: Logger }): Dispatcher;
  /** a sweeper as one notifier process has it (a new one is a restarted process) */
  newSweeper(opts?: Partial<Pick<DigestSweeperDeps, "leaseMs">>): DigestSweeper;
  /** a user with channels, stored as the api and the bot store them */
  newUser(spec: UserSpec): Promise<string>;
  alertFor(userId: string, opts?: { title?: string; text?: string; firedAt?: string }): Alert;
  delivery(alert: Alert, channelId: string): Promise<DeliveryRecord | undefined>;
  channel(userId: string, channelId: string): Promise<Channel | undefined>;
  close(): Promise<void>;
}

export async function startNotifierHarness(): Promise<NotifierHarness> {
  const server = await startNatsServer();
  const nc = await connectBus({ servers: server.url, name: "notifier-test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  const smtp = await startSmtpCapture();
  const tg = await startFakeTelegram();
  const stores: Stores = {
    channels: await TypedBucket.open(nc, BUCKETS.CHANNELS, ChannelSchema),
    deliveries: await TypedBucket.open(nc, BUCKETS.DELIVERIES, DeliveryRecordSchema),
    users: await TypedBucket.open(nc, BUCKETS.USERS, UserSchema),
    held: await TypedBucket.open(nc, BUCKETS.HELD_ALERTS, HeldEntrySchema),
  };
  const providers: Partial<Record<ChannelType, Provider>> = {
    email: createEmailChannel({ smtpUrl: smtp.url, outboxDir: "unused", from: "alerts@localhost" }),
    telegram: createTelegramChannel({
      token: tg.token,
      apiRoot: tg.apiRoot,
      maxInlineRetrySeconds: 2,
      pacing: new TelegramPacing({ perChatIntervalMs: 0 }),
    }),
  };
  const clock = { now: Date.parse("2025-03-11T04:00:00Z") };
  const logger = createLogger("notifier", "silent");
  const now = (): number => clock.now;
  let seq = 0;
  return {
    server,
    nc,
    smtp,
    tg,
    stores,
    providers,
    clock,
    dispatcher: new Dispatcher({ ...stores, providers, logger, now }),
    newDispatcher: (opts = {}) =>
      new Dispatcher({ ...stores, providers: opts.providers ?? providers, logger: opts.logger ?? logger, now }),
    newSweeper: (opts = {}) => new DigestSweeper({ ...stores, providers, logger, now, ...opts }),
    async newUser(spec) {
      const userId = `u_test${String(++seq).padStart(8, "0")}`;
      await stores.users.put(userId, {
        id: userId,
        name: `Buyer ${seq}`,
        timezone: spec.timezone ?? "Asia/Shanghai",
        ...(spec.quietHours === undefined ? {} : { quietHours: spec.quietHours }),
        apiKeyHash: "0".repeat(64),
        createdAt: "2025-02-01T00:00:00Z",
      });
      for (const c of spec.channels) {
        await stores.channels.put(`${userId}.${c.id}`, {
          id: c.id,
          userId,
          type: c.type,
          address: c.address,
          status: c.status ?? "active",
          createdAt: "2025-02-01T00:00:00Z",
          ...(c.mutedUntil === undefined ? {} : { mutedUntil: c.mutedUntil }),
        });
      }
      return userId;
    },
    alertFor(userId, opts = {}) {
      const n = ++seq;
      return {
        id: `r_rule0001:1:${n}`,
        ruleId: "r_rule0001",
        ruleRevision: 1,
        userId,
        instrument: "PRND_OXIDE",
        condition: { type: "above", value: 450000 },
        price: { value: 450000, unit: "CNY/t", ts: "2025-02-24T00:00:00Z", source: "smm", seq: n },
        threshold: { value: 450000, unit: "CNY/t", quoteValue: 450000, quoteUnit: "CNY/t" },
        firedAt: opts.firedAt ?? new Date(clock.now).toISOString(),
        channels: ["email", "telegram"],
        title: opts.title ?? "PRND_OXIDE above 450,000 CNY/t",
        text: opts.text ?? "PRND_OXIDE 450,000 CNY/t on 2025-02-24 (smm) is at or above 450,000 CNY/t",
      };
    },
    delivery: async (alert, channelId) => (await stores.deliveries.get(deliveryKey(alert.id, channelId)))?.value,
    channel: async (userId, channelId) => (await stores.channels.get(`${userId}.${channelId}`))?.value,
    async close() {
      for (const p of Object.values(providers)) await p.close();
      await nc.close();
      await smtp.close();
      await tg.close();
      await server.stop();
    },
  };
}
