import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, linkTelegram, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await t.close();
});

const good = { instrument: "PRND_OXIDE", price: 444000, unit: "CNY/t", ts: "2025-02-28T00:00:00Z", source: "smm" };

async function newUser(name = "Analyst", email?: string): Promise<{ id: string; apiKey: string }> {
  const r = await t.call("POST", "/v1/users", {
    token: ADMIN,
    body: { name, ...(email === undefined ? {} : { email }) },
  });
  expect(r.status).toBe(201);
  return r.body as { id: string; apiKey: string };
}

describe("users and keys", () => {
  it("creates a user only with the admin token and shows the key once", async () => {
    expect((await t.call("POST", "/v1/users", { body: { name: "x" } })).status).toBe(401);
    const bad = await t.call("POST", "/v1/users", { token: "wrong-token", body: { name: "x" } });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { code: "UNAUTHORIZED", message: "invalid admin token" } });
    const u = await newUser("Procurement");
    expect(u.apiKey).toMatch(/^rea_[A-Za-z0-9]{32}$/);
    const me = await t.call("GET", "/v1/me", { token: u.apiKey });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: u.id, name: "Procurement", timezone: "Asia/Shanghai" });
    expect(JSON.stringify(me.body)).not.toContain("apiKey");
  });

  it("rejects unknown fields with their path", async () => {
    const r = await t.call("POST", "/v1/users", { token: ADMIN, body: { name: "x", role: "admin" } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION");
    expect(r.body.error.details).toEqual([{ path: "", message: expect.stringContaining("role") }]);
  });
});

describe("POST /v1/prices", () => {
  it("accepts a valid price with 202", async () => {
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body: good });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it.each([
    ["a negative price", { ...good, price: -1 }, "price", "price must be greater than 0"],
    ["a zero price", { ...good, price: 0 }, "price", "price must be greater than 0"],
    ["a string price", { ...good, price: "444000" }, "price", "price must be a number"],
    [
      "a bad timestamp",
      { ...good, ts: "28/02/2025" },
      "ts",
      'an ISO 8601 timestamp with a timezone, e.g. "2025-02-28T00:00:00Z"',
    ],
    [
      "a malformed unit",
      { ...good, unit: "yuan" },
      "unit",
      "a unit is <currency>/<measure>, e.g. CNY/t, USD/kg, HKD/share, CNY/USD",
    ],
  ])("answers 400 with the field for %s", async (_what, body, path, message) => {
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION");
    expect(r.body.error.details).toContainEqual({ path, message });
  });

  it("answers 400 for NaN, which is not JSON", async () => {
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, raw: '{"instrument":"PRND_OXIDE","price":NaN}' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("MALFORMED_JSON");
  });

  it.each([
    ["an unknown instrument", { ...good, instrument: "NDFEB_MAGNET" }, "instrument", "unknown instrument NDFEB_MAGNET"],
    ["the wrong unit", { ...good, unit: "CNY/kg" }, "unit", "PRND_OXIDE is quoted in CNY/t, not CNY/kg"],
    [
      "a time in the future",
      { ...good, ts: "2025-03-11T08:10:00Z" },
      "ts",
      "ts 2025-03-11T08:10:00Z is more than 5 minutes in the future",
    ],
    [
      "a time beyond the backfill horizon",
      { ...good, ts: "2023-01-01T00:00:00Z" },
      "ts",
      "ts 2023-01-01T00:00:00Z is older than the backfill horizon of 400 days",
    ],
  ])("answers 422 for %s", async (_what, body, path, message) => {
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body });
    expect(r.status).toBe(422);
    expect(r.body).toEqual({ error: { code: "UNPROCESSABLE", message, details: [{ path, message }] } });
  });

  it("takes a batch, counts duplicates and reports each rejected price by index", async () => {
    const r = await t.call("POST", "/v1/prices", {
      token: ADMIN,
      body: {
        prices: [
          good,
          { ...good, price: 0 },
          { ...good, ts: "2025-01-27T00:00:00Z", price: 415000 },
          { ...good, instrument: "XX_OXIDE" },
        ],
      },
    });
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(2);
    expect(r.body.duplicates).toBe(1);
    expect(r.body.rejected.map((x: { index: number; error: { code: string } }) => [x.index, x.error.code])).toEqual([
      [1, "VALIDATION"],
      [3, "UNPROCESSABLE"],
    ]);
  });

  it.each([
    ["an empty batch", { prices: [] }, "prices", "send at least one price"],
    ["prices that are not a list", { prices: good }, "prices", "prices must be a list of prices"],
    ["a batch with another field", { prices: [good], alerts: false }, "", 'Unrecognized key: "alerts"'],
  ])("answers 400 for %s, naming the field", async (_what, body, path, message) => {
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: "VALIDATION", message: `${path || "body"}: ${message}`, details: [{ path, message }] },
    });
  });

  it("stores one instant once, however its ts is written, and keeps the ts as first sent", async () => {
    const dy = { instrument: "DY_OXIDE", price: 1650, unit: "CNY/kg", source: "smm" };
    const answers = [];
    for (const ts of ["2025-02-28T00:00:00Z", "2025-02-28T00:00:00.000Z", "2025-02-28T08:00:00+08:00"]) {
      const r = await t.call("POST", "/v1/prices", { token: ADMIN, body: { ...dy, ts } });
      answers.push([r.status, r.body]);
    }
    expect(answers).toEqual([
      [202, { accepted: 1, duplicates: 0, rejected: [] }],
      [202, { accepted: 1, duplicates: 1, rejected: [] }],
      [202, { accepted: 1, duplicates: 1, rejected: [] }],
    ]);
    const u = await newUser();
    const history = await t.call("GET", "/v1/instruments/DY_OXIDE/prices", { token: u.apiKey });
    expect(history.body.prices).toEqual([{ ...dy, ts: "2025-02-28T00:00:00Z", seq: expect.any(Number) }]);
  });

  it("refuses prices from users with 403", async () => {
    const u = await newUser();
    const r = await t.call("POST", "/v1/prices", { token: u.apiKey, body: good });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: { code: "FORBIDDEN", message: "this route needs the admin token" } });
  });

  it("answers 413 for a body over the limit", async () => {
    const prices = Array.from({ length: 1000 }, (_, i) => ({ ...good, price: 400000 + i }));
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body: { prices } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });
});

describe("rules", () => {
  it("creates a rule with defaults and lists it only for its owner", async () => {
    const a = await newUser("A");
    const b = await newUser("B");
    const r = await t.call("POST", "/v1/rules", {
      token: a.apiKey,
      body: { instrument: "PRND_OXIDE", condition: { type: "above", value: 450000 }, rearm: { pct: 1 } },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      id: expect.stringMatching(/^r_/),
      userId: a.id,
      revision: 1,
      unit: "CNY/t",
      once: false,
      channels: ["email", "telegram"],
      enabled: true,
      state: { status: "pending" },
    });
    expect((await t.call("GET", "/v1/rules", { token: a.apiKey })).body.rules).toHaveLength(1);
    expect((await t.call("GET", "/v1/rules", { token: b.apiKey })).body.rules).toHaveLength(0);
    const other = await t.call("GET", `/v1/rules/${r.body.id}`, { token: b.apiKey });
    expect(other.status).toBe(404);
    expect((await t.call("DELETE", `/v1/rules/${r.body.id}`, { token: b.apiKey })).status).toBe(404);
    expect(
      (
        await t.call("PATCH", `/v1/rules/${r.body.id}`, {
          token: a.apiKey,
          body: { condition: { type: "above", value: 460000 } },
        })
      ).body.revision,
    ).toBe(2);
    expect((await t.call("DELETE", `/v1/rules/${r.body.id}`, { token: a.apiKey })).status).toBe(204);
    expect((await t.call("GET", `/v1/rules/${r.body.id}`, { token: a.apiKey })).status).toBe(404);
  });

  it("rejects a rule for an unknown instrument or an unconvertible unit with 422", async () => {
    const u = await newUser();
    const unknown = await t.call("POST", "/v1/rules", {
      token: u.apiKey,
      body: { instrument: "NDFEB", condition: { type: "above", value: 1 } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.details).toEqual([{ path: "instrument", message: "unknown instrument" }]);
    const unit = await t.call("POST", "/v1/rules", {
      token: u.apiKey,
      body: { instrument: "TB_OXIDE", unit: "CNY/share", condition: { type: "above", value: 1 } },
    });
    expect(unit.status).toBe(422);
    expect(unit.body.error.message).toBe("TB_OXIDE is quoted in CNY/kg; a threshold in CNY/share cannot be converted");
    const usd = await t.call("POST", "/v1/rules", {
      token: u.apiKey,
      body: { instrument: "TB_OXIDE", unit: "USD/kg", condition: { type: "above", value: 900 } },
    });
    expect(usd.status).toBe(201);
  });

  it("explains a malformed condition field by field", async () => {
    const u = await newUser();
    const r = await t.call("POST", "/v1/rules", {
      token: u.apiKey,
      body: {
        instrument: "TB_OXIDE",
        condition: { type: "change", direction: "up", pct: 5, abs: 100, window: "30 days" },
      },
    });
    expect(r.status).toBe(400);
    const paths = r.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(expect.arrayContaining(["condition.window"]));
  });
});

describe("email channel verification", () => {
  it("mails a code, refuses a wrong one, and activates the address with the right one", async () => {
    const u = await newUser();
    const r = await t.call("POST", "/v1/channels/email", {
      token: u.apiKey,
      body: { address: "buyer@magnets.example" },
    });
    expect(r.status).toBe(202);
    const mail = await t.smtp.waitFor((m) => m.to.includes("buyer@magnets.example"));
    const code = /verification code: ([0-9]{6})/.exec(mail.subject)?.[1];
    expect(code).toMatch(/^[0-9]{6}$/);
    const wrong = code === "000000" ? "111111" : "000000";
    const bad = await t.call("POST", "/v1/channels/email/verify", { token: u.apiKey, body: { code: wrong } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toBe("wrong code; 4 attempts left");
    const pending = await t.call("GET", "/v1/channels", { token: u.apiKey });
    expect(pending.body.channels).toEqual([expect.objectContaining({ type: "email", status: "pending" })]);
    const ok = await t.call("POST", "/v1/channels/email/verify", { token: u.apiKey, body: { code } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ type: "email", status: "active", address: "buyer@magnets.example" });
    const again = await t.call("POST", "/v1/channels/email", {
      token: u.apiKey,
      body: { address: "buyer@magnets.example" },
    });
    expect(again.status).toBe(409);
  });

  it("spaces resends by a minute with 429", async () => {
    const u = await newUser("R", "first@magnets.example");
    const r = await t.call("POST", "/v1/channels/email", {
      token: u.apiKey,
      body: { address: "second@magnets.example" },
    });
    expect(r.status).toBe(429);
    expect(r.headers.get("Retry-After")).toBe("60");
    t.clock.now += 61_000;
    expect(
      (await t.call("POST", "/v1/channels/email", { token: u.apiKey, body: { address: "second@magnets.example" } }))
        .status,
    ).toBe(202);
  });
});

describe("removing a channel", () => {
  it("deletes your own channel and answers 404 when it is gone", async () => {
    const u = await newUser("Leaver");
    const chat = await linkTelegram(t, u.apiKey, "31337");
    const del = await t.call("DELETE", `/v1/channels/${chat.id}`, { token: u.apiKey });
    expect(del.status).toBe(204);
    expect((await t.call("GET", "/v1/channels", { token: u.apiKey })).body.channels).toEqual([]);
    const again = await t.call("DELETE", `/v1/channels/${chat.id}`, { token: u.apiKey });
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ error: { code: "NOT_FOUND", message: `no channel ${chat.id}` } });
  });
});

describe("operations", () => {
  it("serves health, readiness, metrics and the OpenAPI document", async () => {
    expect((await t.call("GET", "/healthz")).body).toEqual({ status: "ok" });
    expect((await t.call("GET", "/readyz")).status).toBe(200);
    const metrics = await t.app.request("/metrics");
    expect(await metrics.text()).toContain("process_cpu_user_seconds_total");
    const doc = (await t.call("GET", "/openapi.json")).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/users", "/v1/rules", "/v1/rules/{id}", "/v1/prices", "/v1/channels/email"]),
    );
  });

  it("answers unknown routes with the error shape", async () => {
    const r = await t.call("GET", "/v1/nothing");
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: "NOT_FOUND", message: "no route GET /v1/nothing" } });
  });
});
