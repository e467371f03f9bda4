// A fake Telegram Bot API on loopback HTTP for the alert bot's tests: answers
// the methods grammY uses, records every call, delivers injected updates
// through long polling and fails chosen calls the way Telegram does.

import http from "node:http";
import type { AddressInfo } from "node:net";
import { createBotApi } from "./telegram-methods.js";
import type { TelegramCall, SentMessage } from "./telegram-methods.js";
import {
  BotApiError,
  commandEntities,
  decodeBody,
  decodeParams,
  failureBody,
  makeBotInfo,
  nowSeconds,
  privateChat,
} from "./telegram-objects.js";
import type { FakeBotInfo, TelegramFailure } from "./telegram-objects.js";
import { createWaitQueue } from "./wait-queue.js";
import type { WaitOptions } from "./wait-queue.js";

/** Options for {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** Bot token clients must use (default "123456:TEST"). */
  token?: string;
  /** The bot's username (default "rare_earth_alerts_bot"). */
  botUsername?: string;
}

/** The sender of an injected message. */
export interface FakeTelegramUser {
  id: number;
  first_name?: string;
  username?: string;
}

/** A running fake Bot API server. */
export interface FakeTelegram {
  /** `http://127.0.0.1:PORT`, for grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  /** What getMe returns; pass as grammY's `botInfo` to skip the getMe call. */
  readonly botInfo: FakeBotInfo;
  /** Every authorised call to a known method, failed ones flagged. */
  readonly calls: TelegramCall[];
  /** Successful sendMessage calls. */
  readonly sent: SentMessage[];
  /** Queues an update for getUpdates; assigns `update_id` if missing and returns it. */
  injectUpdate(update: object): number;
  /** Queues a private-chat text message from the user (bot commands get an entity). */
  injectMessage(chatId: number, text: string, from?: FakeTelegramUser): number;
  /** Queues a button press with callback data on a message (the last one sent to the chat by default). */
  injectCallbackQuery(chatId: number, data: string, messageId?: number): number;
  /** The next `times` calls of `method` fail as described, in queue order. */
  failNext(method: string, failure: TelegramFailure, times?: number): void;
  /** Resolves with the first sent (or future) message matching the predicate. */
  waitForSent(predicate: (m: SentMessage) => boolean, opts?: WaitOptions): Promise<SentMessage>;
  /** Resolves with the first `count` calls of `method` (failed ones included). */
  waitForCalls(method: string, count: number, opts?: WaitOptions): Promise<TelegramCall[]>;
  /** Forgets calls, sent messages, queued updates and queued failures. */
  reset(): void;
  /** Answers pending long polls with no updates and shuts the server down. */
  close(): Promise<void>;
}

function describeSent(sent: SentMessage[]): string {
  if (sent.length === 0) return "nothing was sent";
  const lines = sent.map((m, i) => `  ${i + 1}. to ${m.chatId}: ${JSON.stringify(m.text)}`);
  return `sent ${sent.length} message(s):\n${lines.join("\n")}`;
}

function describeCalls(calls: TelegramCall[]): string {
  if (calls.length === 0) return "no calls were made";
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.method, (counts.get(c.method) ?? 0) + 1);
  return `calls made: ${[...counts].map(([m, n]) => `${m} x${n}`).join(", ")}`;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.once("error", reject);
  });
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/**
 * Starts a fake Telegram Bot API on 127.0.0.1 (free port).
 *
 * @example
 * const tg = await startFakeTelegram();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot }, botInfo: tg.botInfo });
 * tg.failNext("sendMessage", { status: 429, retryAfter: 2 });
 * tg.injectMessage(42, "/start");
 * const msg = await tg.waitForSent((m) => m.chatId === 42);
 * await tg.close();
 */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? "123456:TEST";
  const botInfo = makeBotInfo(token, opts.botUsername ?? "rare_earth_alerts_bot");
  const api = createBotApi(botInfo);
  const failures = new Map<string, TelegramFailure[]>();
  const sentWaits = createWaitQueue(() => describeSent(api.sent));
  const callWaits = createWaitQueue(() => describeCalls(api.calls));
  api.onChange(() => {
    sentWaits.notify();
    callWaits.notify();
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (match === null) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    if (decodeURIComponent(match[1] ?? "") !== token) {
      return reply(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const method = api.resolveMethod(match[2] ?? "");
    if (method === undefined) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const body = await readBody(req);
    const call: TelegramCall = { method, payload: {}, at: Date.now() };
    try {
      call.payload = { ...decodeParams(url.searchParams), ...decodeBody(req.headers["content-type"] ?? "", body) };
      const failure = failures.get(method)?.shift();
      if (failure !== undefined) {
        call.failed = true;
        api.record(call);
        return reply(res, failure.status, failureBody(failure));
      }
      api.record(call);
      const result = await api.call(method, call.payload, res);
      reply(res, 200, { ok: true, result });
    } catch (err) {
      const status = err instanceof BotApiError ? err.status : 500;
      call.failed = true;
      api.record(call);
      const description = err instanceof Error ? err.message : "Internal Server Error";
      reply(res, status, { ok: false, error_code: status, description });
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    botInfo,
    calls: api.calls,
    sent: api.sent,
    injectUpdate: (update) => api.enqueue({ ...update }),
    injectMessage(chatId, text, from) {
      const user = { id: from?.id ?? chatId, is_bot: false, first_name: from?.first_name ?? "Test" };
      const entities = commandEntities(text);
      const message = {
        message_id: api.nextMessageId(),
        from: from?.username === undefined ? user : { ...user, username: from.username },
        chat: privateChat(chatId, user.first_name),
        date: nowSeconds(),
        text,
        ...(entities === undefined ? {} : { entities }),
      };
      return api.enqueue({ message });
    },
    injectCallbackQuery(chatId, data, messageId) {
      const message = api.findMessage(chatId, messageId) ?? {
        message_id: messageId ?? api.nextMessageId(),
        from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username },
        chat: privateChat(chatId),
        date: nowSeconds(),
        text: "",
      };
      const from = { id: chatId, is_bot: false, first_name: "Test" };
      const id = String(api.nextCallbackId());
      return api.enqueue({ callback_query: { id, from, message, chat_instance: String(chatId), data } });
    },
    failNext(method, failure, times = 1) {
      const name = api.resolveMethod(method) ?? method;
      const queue = failures.get(name) ?? [];
      for (let i = 0; i < times; i++) queue.push(failure);
      failures.set(name, queue);
    },
    waitForSent(predicate, waitOpts = {}) {
      return sentWaits.wait(() => api.sent.find(predicate), "a matching sent message", waitOpts.timeoutMs);
    },
    waitForCalls(method, count, waitOpts = {}) {
      const match = (): TelegramCall[] | undefined => {
        const found = api.calls.filter((c) => c.method === method);
        return found.length >= count ? found.slice(0, count) : undefined;
      };
      return callWaits.wait(match, `${count} ${method} call(s)`, waitOpts.timeoutMs);
    },
    reset() {
      api.reset();
      failures.clear();
    },
    async close() {
      sentWaits.failAll("fake Telegram closed while waiting for a sent message");
      callWaits.failAll("fake Telegram closed while waiting for calls");
      api.close();
      // let answered long polls flush before dropping connections
      await new Promise((r) => setImmediate(r));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const force = setTimeout(() => server.closeAllConnections(), 200);
      await closed;
      clearTimeout(force);
    },
  };
}
