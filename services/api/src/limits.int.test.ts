import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({
    requestsPerMinute: 5,
    adminRequestsPerMinute: 20,
    maxBodyBytes: 2048,
    maxRulesPerUser: 2,
    maxPricesPerRequest: 3,
  });
});
afterAll(async () => {
  await t.close();
});

const rule = { instrument: "TB_OXIDE", condition: { type: "change", direction: "up", pct: 5, window: "30d" } };

describe("requests per key per minute", () => {
  it("answers 429 with Retry-After once a key has used its minute, and lets it through again later", async () => {
    const u = await newUser(t);
    for (let i = 0; i < 5; i++) expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(200);
    const limited = await t.call("GET", "/v1/rules", { token: u.apiKey });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("12");
    expect(limited.body).toEqual({
      error: { code: "RATE_LIMITED", message: "more than 5 requests a minute with this key: slow down" },
    });
    t.clock.now += 11_000;
    expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(429);
    t.clock.now += 1_000;
    expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(200);
  });

  it("counts each key on its own", async () => {
    const busy = await newUser(t, "Busy");
    const calm = await newUser(t, "Calm");
    for (let i = 0; i < 5; i++) await t.call("GET", "/v1/me", { token: busy.apiKey });
    expect((await t.call("GET", "/v1/me", { token: busy.apiKey })).status).toBe(429);
    expect((await t.call("GET", "/v1/me", { token: calm.apiKey })).status).toBe(200);
  });

  it("does not let requests with a wrong key use up someone's minute", async () => {
    const u = await newUser(t);
    for (let i = 0; i < 10; i++) expect((await t.call("GET", "/v1/me", { token: "rea_wrong" })).status).toBe(401);
    expect((await t.call("GET", "/v1/me", { token: u.apiKey })).status).toBe(200);
  });

  it("limits the admin token with its own figure", async () => {
    t.clock.now += 60_000;
    // an empty price body passes authentication and the limit, then fails validation
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await t.call("POST", "/v1/prices", { token: ADMIN, body: {} })).status);
    expect(statuses).toEqual([...Array<number>(20).fill(400), 429]);
    t.clock.now += 60_000;
  });
});

describe("other limits", () => {
  it("answers 413 for a body over the size limit on a user route", async () => {
    const u = await newUser(t);
    const r = await t.call("POST", "/v1/rules", {
      token: u.apiKey,
      raw: JSON.stringify({ ...rule, note: "x".repeat(3000) }),
    });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({
      error: { code: "PAYLOAD_TOO_LARGE", message: "the request body is larger than 2048 bytes" },
    });
  });

  it("refuses a rule over the per-user limit with 409, and previews do not count", async () => {
    t.clock.now += 60_000;
    const u = await newUser(t);
    expect((await t.call("POST", "/v1/rules", { token: u.apiKey, body: rule })).status).toBe(201);
    expect((await t.call("POST", "/v1/rules", { token: u.apiKey, body: rule })).status).toBe(201);
    expect((await t.call("POST", "/v1/rules/preview", { token: u.apiKey, body: rule })).status).toBe(200);
    const third = await t.call("POST", "/v1/rules", { token: u.apiKey, body: rule });
    expect(third.status).toBe(409);
    expect(third.body.error).toEqual({
      code: "CONFLICT",
      message: "you have 2 rules, the most allowed: delete one first",
    });
  });

  it("answers 413 for more prices in one request than allowed", async () => {
    const p = { instrument: "TB_OXIDE", price: 6000, unit: "CNY/kg", source: "t" };
    const prices = [1, 2, 3, 4].map((d) => ({ ...p, ts: `2025-03-0${d}T00:00:00Z` }));
    const r = await t.call("POST", "/v1/prices", { token: ADMIN, body: { prices } });
    expect(r.status).toBe(413);
    expect(r.body.error.message).toBe("at most 3 prices per request");
  });
});
