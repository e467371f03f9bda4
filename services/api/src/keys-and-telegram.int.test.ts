import { linkTelegramChat } from "@rea/accounts";
import { AppError } from "@rea/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({}, { telegramBotUsername: "rare_earth_alerts_bot" });
});
afterAll(async () => {
  await t.close();
});

describe("POST /v1/me/keys", () => {
  it("shows a new key once and stops the old one at once", async () => {
    const u = await newUser(t, "Rotator");
    const r = await t.call("POST", "/v1/me/keys", { token: u.apiKey });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      apiKey: expect.stringMatching(/^rea_[A-Za-z0-9]{32}$/),
      createdAt: new Date(t.clock.now).toISOString(),
      message: "store this key now: it is shown once, and the previous key no longer works",
    });
    expect(r.body.apiKey).not.toBe(u.apiKey);
    const old = await t.call("GET", "/v1/me", { token: u.apiKey });
    expect(old.status).toBe(401);
    expect(old.body).toEqual({ error: { code: "UNAUTHORIZED", message: "invalid API key" } });
    const me = await t.call("GET", "/v1/me", { token: r.body.apiKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: u.id, name: "Rotator" });
    expect(JSON.stringify(me.body)).not.toContain(r.body.apiKey);
  });

  it("keeps the new key working across a later profile change", async () => {
    const u = await newUser(t);
    const { apiKey } = (await t.call("POST", "/v1/me/keys", { token: u.apiKey })).body;
    const patched = await t.call("PATCH", "/v1/me", {
      token: apiKey,
      body: { timezone: "Europe/Berlin", quietHours: { start: "22:00", end: "07:00" } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ timezone: "Europe/Berlin", quietHours: { start: "22:00", end: "07:00" } });
    expect((await t.call("GET", "/v1/me", { token: apiKey })).status).toBe(200);
    expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(401);
  });

  it("takes no body: a field is rejected with its name and the key stays", async () => {
    const u = await newUser(t);
    const r = await t.call("POST", "/v1/me/keys", { token: u.apiKey, body: { expiresIn: "30d" } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION");
    expect(r.body.error.details).toEqual([{ path: "", message: expect.stringContaining("expiresIn") }]);
    expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(200);
    const empty = await t.call("POST", "/v1/me/keys", { token: u.apiKey, body: {} });
    expect(empty.status).toBe(201);
  });

  it("needs a user's key: the admin token and no token are refused", async () => {
    expect((await t.call("POST", "/v1/me/keys", { token: ADMIN })).status).toBe(401);
    expect((await t.call("POST", "/v1/me/keys")).status).toBe(401);
  });
});

describe("POST /v1/channels/telegram", () => {
  it("gives a one-time code with a t.me link that expires in 15 minutes", async () => {
    const u = await newUser(t);
    const r = await t.call("POST", "/v1/channels/telegram", { token: u.apiKey });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      code: expect.stringMatching(/^[A-Za-z0-9]{12}$/),
      link: `https://t.me/rare_earth_alerts_bot?start=${r.body.code}`,
      expiresAt: new Date(t.clock.now + 15 * 60_000).toISOString(),
      instructions: `send /start ${r.body.code} to @rare_earth_alerts_bot from the Telegram chat that should receive alerts`,
    });
  });

  it("links the chat that sends the code, once, as an active channel of the user who asked", async () => {
    const u = await newUser(t);
    const { code } = (await t.call("POST", "/v1/channels/telegram", { token: u.apiKey })).body;
    const linked = await linkTelegramChat(t.deps, code, "424242");
    expect(linked).toMatchObject({ userId: u.id, type: "telegram", status: "active", address: "424242" });
    const list = await t.call("GET", "/v1/channels", { token: u.apiKey });
    expect(list.body.channels).toEqual([
      expect.objectContaining({ id: linked.id, type: "telegram", status: "active" }),
    ]);
    await expect(linkTelegramChat(t.deps, code, "999")).rejects.toThrow("this code is unknown or was already used");
  });

  it("refuses a code after 15 minutes", async () => {
    const u = await newUser(t);
    const { code } = (await t.call("POST", "/v1/channels/telegram", { token: u.apiKey })).body;
    t.clock.now += 15 * 60_000 + 1000;
    const err = await linkTelegramChat(t.deps, code, "5151").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).message).toBe("this code has expired: ask for a new one");
    expect((await t.call("GET", "/v1/channels", { token: u.apiKey })).body.channels).toEqual([]);
  });

  it("rejects a body field and needs a key", async () => {
    const u = await newUser(t);
    const r = await t.call("POST", "/v1/channels/telegram", { token: u.apiKey, body: { chatId: "1" } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].message).toContain("chatId");
    expect((await t.call("POST", "/v1/channels/telegram")).status).toBe(401);
  });
});

describe("POST /v1/channels/telegram without a configured bot username", () => {
  let plain: TestApi;
  beforeAll(async () => {
    plain = await startTestApi();
  });
  afterAll(async () => {
    await plain.close();
  });

  it("gives the code without a link", async () => {
    const u = await newUser(plain);
    const r = await plain.call("POST", "/v1/channels/telegram", { token: u.apiKey });
    expect(r.status).toBe(201);
    expect(r.body.link).toBeNull();
    expect(r.body.instructions).toBe(
      `send /start ${r.body.code} to the bot from the Telegram chat that should receive alerts`,
    );
  });
});
