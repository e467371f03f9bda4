import { createServer } from "node:net";
import type { Server } from "node:net";
import { startFakeTelegram } from "@rea/testkit";
import type { FakeTelegram } from "@rea/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchBotInfo } from "./bot-info.js";

let tg: FakeTelegram;
let silent: Server;
let closedPort: number;

const listen = (server: Server): Promise<number> =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));

beforeAll(async () => {
  tg = await startFakeTelegram();
  // accepts connections and never answers
  silent = createServer(() => undefined);
  const probe = createServer();
  closedPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  await tg?.close();
  silent?.close();
});

describe("the start-up getMe", () => {
  it("returns the bot's own user", async () => {
    const me = await fetchBotInfo({ token: tg.token, apiRoot: tg.apiRoot });
    expect(me).toMatchObject({ is_bot: true, username: tg.botInfo.username });
  });

  it("says the token is refused", async () => {
    await expect(fetchBotInfo({ token: "42:WRONG", apiRoot: tg.apiRoot })).rejects.toThrow(
      `the Telegram Bot API at ${new URL(tg.apiRoot).host} refused TELEGRAM_BOT_TOKEN (401 Unauthorized)`,
    );
  });

  it("asks once: a server error fails the start instead of being retried", async () => {
    tg.reset();
    tg.failNext("getMe", { status: 500, description: "Internal Server Error" });
    await expect(fetchBotInfo({ token: tg.token, apiRoot: tg.apiRoot })).rejects.toThrow(
      "answered getMe with 500 Internal Server Error",
    );
    expect(tg.calls.filter((c) => c.method === "getMe")).toHaveLength(1);
  });

  it("fails at once, without the token, when nothing listens at the Bot API root", async () => {
    const err = await fetchBotInfo({ token: "123456:SECRET-token", apiRoot: `http://127.0.0.1:${closedPort}` }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toBe(
      `the Telegram Bot API at 127.0.0.1:${closedPort} cannot be reached: connect ECONNREFUSED 127.0.0.1:${closedPort}`,
    );
  });

  it("gives up after its time limit when the Bot API accepts the connection but never answers", async () => {
    const port = await listen(silent);
    await expect(fetchBotInfo({ token: tg.token, apiRoot: `http://127.0.0.1:${port}` }, 300)).rejects.toThrow(
      `the Telegram Bot API at 127.0.0.1:${port} cannot be reached: Request to 'getMe' timed out after 0.3 seconds`,
    );
  });
});
