/** Every route answers bad requests in the error shape of DESIGN 4.4, with the path of what is wrong. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let key: string;
let ruleId: string;
beforeAll(async () => {
  t = await startTestApi();
  key = (await newUser(t)).apiKey;
  const rule = await t.call("POST", "/v1/rules", {
    token: key,
    body: { instrument: "PRND_OXIDE", condition: { type: "above", value: 450000 } },
  });
  ruleId = rule.body.id;
});
afterAll(async () => {
  await t.close();
});

const price = { instrument: "PRND_OXIDE", price: 444000, unit: "CNY/t", ts: "2025-02-28T00:00:00Z", source: "smm" };
const instrument = { id: "CE_OXIDE", name: "Cerium oxide", unit: "CNY/t", kind: "rare_earth", market: "SMM" };

describe("unknown fields are rejected, never dropped", () => {
  const above = { type: "above", value: 1 };
  // method, path, who, a body with one unexpected field, the path of the object holding it, the field
  const cases: Array<[string, string, "admin" | "user", unknown, string, string]> = [
    ["POST", "/v1/users", "admin", { name: "x", role: "admin" }, "", "role"],
    ["PATCH", "/v1/me", "user", { quietHours: { start: "22:00", end: "07:00", days: "all" } }, "quietHours", "days"],
    ["POST", "/v1/me/keys", "user", { expiresIn: "30d" }, "", "expiresIn"],
    ["POST", "/v1/rules", "user", { instrument: "PRND_OXIDE", condition: above, active: true }, "", "active"],
    ["PATCH", "/v1/rules/{id}", "user", { condition: { ...above, inclusive: true } }, "condition", "inclusive"],
    ["POST", "/v1/rules/preview", "user", { instrument: "PRND_OXIDE", condition: above, days: 30 }, "", "days"],
    ["POST", "/v1/prices", "admin", { ...price, volume: 10 }, "", "volume"],
    ["POST", "/v1/instruments", "admin", { ...instrument, isin: "x" }, "", "isin"],
    ["POST", "/v1/channels/email", "user", { address: "x@magnets.example", name: "x" }, "", "name"],
    ["POST", "/v1/channels/email/verify", "user", { code: "123456", channelId: "c_x" }, "", "channelId"],
    ["POST", "/v1/channels/telegram", "user", { chatId: "1" }, "", "chatId"],
  ];

  it.each(cases)("%s %s names the unexpected field", async (method, path, who, body, at, field) => {
    const r = await t.call(method, path.replace("{id}", ruleId), { token: who === "admin" ? ADMIN : key, body });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION");
    expect(r.body.error.details).toContainEqual({ path: at, message: expect.stringContaining(`"${field}"`) });
  });
});

describe("malformed requests", () => {
  it.each([
    ["POST", "/v1/rules"],
    ["PATCH", "/v1/me"],
    ["POST", "/v1/me/keys"],
    ["POST", "/v1/rules/preview"],
  ])("%s %s answers 400 MALFORMED_JSON for a body that is not JSON", async (method, path) => {
    const r = await t.call(method, path, { token: key, raw: "{instrument: PRND_OXIDE" });
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: { code: "MALFORMED_JSON", message: "the request body is not valid JSON" } });
  });

  const sendAsJson = 'send the body as JSON with "Content-Type: application/json"';
  it.each([
    ["PATCH", "/v1/me", "user", { timezone: "Europe/Berlin" }],
    ["POST", "/v1/rules", "user", { instrument: "PRND_OXIDE", condition: { type: "above", value: 1 } }],
    ["PATCH", "/v1/rules/{id}", "user", { note: "x" }],
    ["POST", "/v1/rules/preview", "user", { instrument: "PRND_OXIDE", condition: { type: "above", value: 1 } }],
    ["POST", "/v1/channels/email", "user", { address: "x@magnets.example" }],
    ["POST", "/v1/users", "admin", { name: "x" }],
    ["POST", "/v1/prices", "admin", price],
    ["POST", "/v1/instruments", "admin", instrument],
  ])("%s %s answers 400 for a JSON body sent as another media type or none", async (method, path, who, body) => {
    const json = JSON.stringify(body);
    for (const [contentType, payload] of [
      ["text/plain", json],
      ["application/x-www-form-urlencoded", json],
      // a binary body gets no Content-Type from the Request constructor
      [undefined, new TextEncoder().encode(json)],
    ] as const) {
      const res = await t.app.request(path.replace("{id}", ruleId), {
        method,
        headers: {
          Authorization: `Bearer ${who === "admin" ? ADMIN : key}`,
          ...(contentType === undefined ? {} : { "Content-Type": contentType }),
        },
        body: payload,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: "MALFORMED_JSON", message: sendAsJson } });
    }
  });

  it("answers 400 for an id that cannot be a rule or channel id, in the error shape", async () => {
    const long = "r_" + "x".repeat(80);
    const r = await t.call("GET", `/v1/rules/${long}`, { token: key });
    expect(r.status).toBe(400);
    expect(r.body.error.details).toEqual([{ path: "path.id", message: expect.any(String) }]);
  });

  it("answers 401 in the error shape for a missing or malformed Authorization header", async () => {
    for (const headers of [{}, { Authorization: "Basic abc" }, { Authorization: "Bearer" }]) {
      const r = await t.call("GET", "/v1/rules", { headers });
      expect(r.status).toBe(401);
      expect(r.body).toEqual({
        error: { code: "UNAUTHORIZED", message: "missing bearer token: send Authorization: Bearer <token>" },
      });
    }
  });

  it.each([
    ["POST", "/v1/users"],
    ["POST", "/v1/prices"],
    ["POST", "/v1/instruments"],
    ["GET", "/v1/ops/status"],
    ["GET", "/ops/panel"],
  ])("%s %s answers a user's API key with 403 and an unknown token with 401", async (method, path) => {
    const asUser = await t.call(method, path, { token: key });
    expect(asUser.status).toBe(403);
    expect(asUser.body).toEqual({ error: { code: "FORBIDDEN", message: "this route needs the admin token" } });
    const unknown = await t.call(method, path, { token: "rea_00000000000000000000000000000000" });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ error: { code: "UNAUTHORIZED", message: "invalid admin token" } });
  });

  it("rejects an unknown query parameter on the price and history routes", async () => {
    const batch = await t.call("POST", "/v1/prices?alert=false", { token: ADMIN, body: price });
    expect(batch.status).toBe(400);
    expect(batch.body.error.details).toEqual([{ path: "query", message: expect.stringContaining("alert") }]);
    const history = await t.call("GET", "/v1/instruments/PRND_OXIDE/prices?since=2025-01-01", { token: key });
    expect(history.status).toBe(400);
    expect(history.body.error.details).toEqual([{ path: "query", message: expect.stringContaining("since") }]);
  });
});
