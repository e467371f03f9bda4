import { SMM_2025 } from "@rea/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let key: string;
const tb = SMM_2025.filter((p) => p.instrument === "TB_OXIDE");

beforeAll(async () => {
  t = await startTestApi();
  key = (await newUser(t)).apiKey;
  expect((await t.call("POST", "/v1/prices?alerts=false", { token: ADMIN, body: { prices: tb } })).status).toBe(202);
});
afterAll(async () => {
  await t.close();
});

const cerium = { id: "CE_OXIDE", name: "Cerium oxide, SMM average", unit: "CNY/t", kind: "rare_earth", market: "SMM" };

describe("GET /v1/instruments", () => {
  it("lists the catalogue with each last price, or null before any", async () => {
    const r = await t.call("GET", "/v1/instruments", { token: key });
    expect(r.status).toBe(200);
    const byId = new Map(r.body.instruments.map((i: { id: string }) => [i.id, i]));
    const last = tb.at(-1)!;
    expect(byId.get("TB_OXIDE")).toMatchObject({
      unit: "CNY/kg",
      last: { price: last.price, unit: "CNY/kg", ts: last.ts, source: last.source },
    });
    expect(byId.get("USDCNY")).toMatchObject({ unit: "CNY/USD", last: null });
  });

  it("keeps the newest price as the last one when older prices are loaded after it", async () => {
    const live = { instrument: "DY_OXIDE", price: 1660, unit: "CNY/kg", source: "smm" };
    const newest = { ...live, ts: new Date(t.clock.now - 3_600_000).toISOString() };
    expect((await t.call("POST", "/v1/prices", { token: ADMIN, body: newest })).status).toBe(202);
    const history = [30, 29].map((d) => ({
      ...live,
      price: 1600 + d,
      ts: new Date(t.clock.now - d * 86_400_000).toISOString(),
    }));
    for (const p of history) {
      expect((await t.call("POST", "/v1/prices?alerts=false", { token: ADMIN, body: p })).status).toBe(202);
    }
    const lastOf = async (): Promise<unknown> => {
      const r = await t.call("GET", "/v1/instruments", { token: key });
      return r.body.instruments.find((i: { id: string }) => i.id === "DY_OXIDE").last;
    };
    expect(await lastOf()).toEqual({ price: 1660, unit: "CNY/kg", ts: newest.ts, source: "smm" });
    const feed = (await t.call("GET", "/v1/ops/status", { token: ADMIN })).body.feeds.find(
      (f: { instrument: string }) => f.instrument === "DY_OXIDE",
    );
    expect(feed.ageSeconds).toBeLessThan(3_700);
    // a newer price is the last one again
    const later = { ...live, price: 1670, ts: new Date(t.clock.now - 60_000).toISOString() };
    expect((await t.call("POST", "/v1/prices", { token: ADMIN, body: later })).status).toBe(202);
    expect(await lastOf()).toEqual({ price: 1670, unit: "CNY/kg", ts: later.ts, source: "smm" });
  });

  it("needs a key", async () => {
    expect((await t.call("GET", "/v1/instruments")).status).toBe(401);
  });
});

describe("POST /v1/instruments", () => {
  it("adds an instrument for the admin, once", async () => {
    const r = await t.call("POST", "/v1/instruments", { token: ADMIN, body: cerium });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ ...cerium, timezone: "Asia/Shanghai" });
    const again = await t.call("POST", "/v1/instruments", { token: ADMIN, body: cerium });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe("instrument CE_OXIDE already exists");
    const rule = await t.call("POST", "/v1/rules", {
      token: key,
      body: { instrument: "CE_OXIDE", condition: { type: "above", value: 10000 } },
    });
    expect(rule.status).toBe(201);
  });

  it("refuses users (403) and malformed instruments", async () => {
    const asUser = await t.call("POST", "/v1/instruments", { token: key, body: { ...cerium, id: "LA_OXIDE" } });
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.code).toBe("FORBIDDEN");
    const bad = await t.call("POST", "/v1/instruments", { token: ADMIN, body: { ...cerium, id: "la-oxide" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(["id"]);
  });

  it("refuses a timezone that is not an IANA zone, and adds nothing", async () => {
    for (const timezone of ["Asia/Shangai", "CST+8", ""]) {
      const r = await t.call("POST", "/v1/instruments", {
        token: ADMIN,
        body: { ...cerium, id: "LA_OXIDE", timezone },
      });
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({
        code: "VALIDATION",
        details: [{ path: "timezone", message: "an IANA timezone such as Asia/Shanghai or Europe/Berlin" }],
      });
    }
    const list = await t.call("GET", "/v1/instruments", { token: key });
    expect(list.body.instruments.map((i: { id: string }) => i.id)).not.toContain("LA_OXIDE");
    const ok = await t.call("POST", "/v1/instruments", {
      token: ADMIN,
      body: { ...cerium, id: "LA_OXIDE", timezone: "Europe/London" },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.timezone).toBe("Europe/London");
  });
});

describe("GET /v1/instruments/{id}/prices", () => {
  it("returns stored history oldest first, within from and to, at most limit", async () => {
    const all = await t.call("GET", "/v1/instruments/TB_OXIDE/prices", { token: key });
    expect(all.status).toBe(200);
    expect(all.body.prices.map((p: { ts: string; price: number }) => [p.ts, p.price])).toEqual(
      tb.map((p) => [p.ts, p.price]),
    );
    const ranged = await t.call("GET", `/v1/instruments/TB_OXIDE/prices?from=${tb[1]!.ts}&to=${tb[2]!.ts}&limit=1`, {
      token: key,
    });
    expect(ranged.body.prices.map((p: { ts: string }) => p.ts)).toEqual([tb[2]!.ts]);
  });

  it("answers 404 for an unknown instrument and 400 for a bad query", async () => {
    const unknown = await t.call("GET", "/v1/instruments/NDFEB/prices", { token: key });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ error: { code: "NOT_FOUND", message: "unknown instrument NDFEB" } });
    const bad = await t.call("GET", "/v1/instruments/TB_OXIDE/prices?limit=0&from=yesterday", { token: key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["query.from", "query.limit"]);
  });
});
