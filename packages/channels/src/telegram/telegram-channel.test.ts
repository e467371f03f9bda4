/**
 * The Telegram channel against the fake Bot API (and against a port where
 * nothing listens, and a server that never answers): which failures hand the
 * alert back for a later retry, which refuse only this message, and which mean
 * the chat is gone.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { freePorts, startFakeTelegram } from "@rea/testkit";
import type { FakeTelegram } from "@rea/testkit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TelegramPacing } from "./pacing.js";
import { createTelegramChannel } from "./telegram-channel.js";

let tg: FakeTelegram;

beforeAll(async () => {
  tg = await startFakeTelegram();
});
afterAll(async () => {
  await tg?.close();
});
beforeEach(() => {
  tg.reset();
});

const message = { subject: "PRND_OXIDE above 450,000 CNY/t", text: "PRND_OXIDE 450,000 CNY/t on 2025-02-24 (smm)" };

function send(opts: { token?: string; apiRoot?: string; requestTimeoutSeconds?: number } = {}) {
  const channel = createTelegramChannel({
    token: opts.token ?? tg.token,
    apiRoot: opts.apiRoot ?? tg.apiRoot,
    pacing: new TelegramPacing({ perChatIntervalMs: 0 }),
    maxInlineRetrySeconds: 2,
    ...(opts.requestTimeoutSeconds === undefined ? {} : { requestTimeoutSeconds: opts.requestTimeoutSeconds }),
  });
  return channel.send("4242", message);
}

const sendCalls = () => tg.calls.filter((c) => c.method === "sendMessage");

describe("Telegram failures that are retried later", () => {
  it("hands a Bot API it cannot reach back at once as transient, for the notifier's backoff", async () => {
    const [port] = await freePorts(1);
    await expect(send({ apiRoot: `http://127.0.0.1:${port}` })).rejects.toMatchObject({
      permanent: false,
      disablesChannel: false,
      retryable: true,
      message: "Telegram unreachable: Network request for 'sendMessage' failed! (ECONNREFUSED)",
    });
  }, 5_000);

  it("gives up on a request the Bot API never answers after the request timeout", async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(send({ apiRoot: `http://127.0.0.1:${port}`, requestTimeoutSeconds: 1 })).rejects.toMatchObject({
        permanent: false,
        retryable: true,
        message: expect.stringContaining("timed out after 1 seconds"),
      });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }, 5_000);

  it("hands a 5xx back after one try instead of retrying it inside the send", async () => {
    tg.failNext("sendMessage", { status: 502, description: "Bad Gateway" }, 5);
    await expect(send()).rejects.toMatchObject({ permanent: false, message: "Telegram 502: Bad Gateway" });
    expect(sendCalls()).toHaveLength(1);
  });

  it("treats a wrong bot token (401) as the operator's problem: transient, the chat stays usable", async () => {
    await expect(send({ token: "999999:WRONG" })).rejects.toMatchObject({
      permanent: false,
      disablesChannel: false,
      misconfigured: true,
      message: "Telegram 401: Unauthorized",
    });
  });

  it("treats a 404 from a wrong API root as the operator's problem, not the chat's", async () => {
    await expect(send({ apiRoot: `${tg.apiRoot}/wrong-root` })).rejects.toMatchObject({
      permanent: false,
      disablesChannel: false,
      misconfigured: true,
      message: "Telegram 404: Not Found",
    });
  });

  it("waits out a 429 within the inline limit, and hands a longer one back with its retry_after", async () => {
    tg.failNext("sendMessage", { status: 429, retryAfter: 1 });
    await expect(send()).resolves.toMatchObject({ providerId: expect.any(String) });
    tg.failNext("sendMessage", { status: 429, retryAfter: 30 });
    await expect(send()).rejects.toMatchObject({ permanent: false, retryAfterMs: 30_000 });
  });
});

describe("Telegram failures that are final", () => {
  it('refuses only this message on a 400 such as "can\'t parse entities": the chat is not disabled', async () => {
    const description = 'Bad Request: can\'t parse entities: Unsupported start tag "x" at byte offset 3';
    tg.failNext("sendMessage", { status: 400, description });
    await expect(send()).rejects.toMatchObject({
      permanent: true,
      disablesChannel: false,
      misconfigured: false,
      message: `Telegram 400: ${description}`,
    });
  });

  it("gives the chat up when the bot was blocked (403)", async () => {
    tg.failNext("sendMessage", { status: 403 });
    await expect(send()).rejects.toMatchObject({
      permanent: true,
      disablesChannel: true,
      message: "Telegram 403: Forbidden: bot was blocked by the user",
    });
  });

  it('gives the chat up on 400 "chat not found"', async () => {
    tg.failNext("sendMessage", { status: 400, description: "Bad Request: chat not found" });
    await expect(send()).rejects.toMatchObject({ permanent: true, disablesChannel: true });
  });
});
