import { SMM_2025, fixturePrice } from "@rea/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let key: string;
const jan27 = fixturePrice("PRND_OXIDE", "2025-01-27");
const feb28 = fixturePrice("PRND_OXIDE", "2025-02-28");
const usdcny = { instrument: "USDCNY", price: 7.2, unit: "CNY/USD", ts: "2025-01-20T00:00:00Z", source: "fx" };

beforeAll(async () => {
  t = await startTestApi({ maxPreviewPrices: 50 });
  const quiet = await t.call("POST", "/v1/prices?alerts=false", {
    token: ADMIN,
    body: { prices: [...SMM_2025.filter((p) => p.instrument === "PRND_OXIDE"), usdcny] },
  });
  expect(quiet.body).toMatchObject({ accepted: 4, rejected: [] });
  key = (await newUser(t)).apiKey;
});
afterAll(async () => {
  await t.close();
});

const preview = (body: unknown, token = key) => t.call("POST", "/v1/rules/preview", { token, body });
const change30d = { type: "change", direction: "up", pct: 5, window: "30d" };

describe("POST /v1/rules/preview", () => {
  it("finds the 2025-02-28 rise of Pr-Nd oxide for an up-5%-in-30-days rule, with its explanation", async () => {
    const r = await preview({ instrument: "PRND_OXIDE", condition: change30d });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      instrument: "PRND_OXIDE",
      unit: "CNY/t",
      condition: change30d,
      from: jan27.ts,
      pricesEvaluated: 3,
    });
    expect(r.body.firings).toHaveLength(1);
    const [firing] = r.body.firings;
    expect(firing).toMatchObject({
      firedAt: feb28.ts,
      price: { value: feb28.price, unit: "CNY/t", ts: feb28.ts, source: "smm" },
      reference: { value: jan27.price, ts: jan27.ts },
    });
    const pct = ((feb28.price - jan27.price) / jan27.price) * 100;
    expect(firing.change.pct).toBeCloseTo(pct, 2);
    expect(firing.text).toContain("+6.99%");
    expect(firing.title).toContain("PRND_OXIDE");
  });

  it("still sees the window before `from`, and reports nothing before it", async () => {
    const inRange = await preview({ instrument: "PRND_OXIDE", condition: change30d, from: "2025-02-01T00:00:00Z" });
    expect(inRange.body.firings.map((f: { firedAt: string }) => f.firedAt)).toEqual([feb28.ts]);
    expect(inRange.body.from).toBe("2025-02-01T00:00:00.000Z");
    expect(inRange.body.pricesEvaluated).toBe(2);
    const after = await preview({ instrument: "PRND_OXIDE", condition: change30d, from: "2025-03-01T00:00:00Z" });
    expect(after.body.firings).toEqual([]);
    const before = await preview({ instrument: "PRND_OXIDE", condition: change30d, to: "2025-02-27T00:00:00Z" });
    expect(before.body.firings).toEqual([]);
    expect(before.body.to).toBe("2025-02-27T00:00:00.000Z");
  });

  it("fires a level rule on the first price at or over its value", async () => {
    const r = await preview({ instrument: "PRND_OXIDE", condition: { type: "above", value: 440000 } });
    expect(r.body.firings.map((f: { firedAt: string }) => f.firedAt)).toEqual([feb28.ts]);
  });

  it("converts a threshold in USD/kg with the stored USDCNY rate and says so", async () => {
    const r = await preview({ instrument: "PRND_OXIDE", unit: "USD/kg", condition: { type: "above", value: 60 } });
    expect(r.status).toBe(200);
    expect(r.body.unit).toBe("USD/kg");
    expect(r.body.firings).toHaveLength(1);
    expect(r.body.firings[0]).toMatchObject({
      firedAt: feb28.ts,
      threshold: { value: 60, unit: "USD/kg", quoteValue: 60 * 1000 * usdcny.price, quoteUnit: "CNY/t" },
      fx: { instrument: "USDCNY", rate: usdcny.price, ts: usdcny.ts },
    });
  });

  it("stores nothing: the rule list stays empty", async () => {
    await preview({ instrument: "PRND_OXIDE", condition: { type: "above", value: 440000 } });
    expect((await t.call("GET", "/v1/rules", { token: key })).body.rules).toEqual([]);
  });

  it("answers an empty list for an instrument without history", async () => {
    const r = await preview({ instrument: "Y_OXIDE", condition: { type: "below", value: 1 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: null, pricesEvaluated: 0, firings: [] });
  });

  it.each([
    ["an unknown instrument", { instrument: "NDFEB", condition: change30d }, 422, "instrument"],
    ["an unconvertible unit", { instrument: "PRND_OXIDE", unit: "CNY/share", condition: change30d }, 422, "unit"],
    ["an unknown field", { instrument: "PRND_OXIDE", condition: change30d, dryRun: true }, 400, ""],
    ["an unknown condition field", { instrument: "PRND_OXIDE", condition: { ...change30d, x: 1 } }, 400, "condition"],
    [
      "a bad window",
      { instrument: "PRND_OXIDE", condition: { ...change30d, window: "a month" } },
      400,
      "condition.window",
    ],
    [
      "`to` before `from`",
      { instrument: "PRND_OXIDE", condition: change30d, from: "2025-02-01T00:00:00Z", to: "2025-01-01T00:00:00Z" },
      400,
      "to",
    ],
    ["a malformed `from`", { instrument: "PRND_OXIDE", condition: change30d, from: "yesterday" }, 400, "from"],
  ])("rejects %s with the field's path", async (_what, body, status, path) => {
    const r = await preview(body);
    expect(r.status).toBe(status);
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("refuses a preview over more prices than the limit", async () => {
    const prices = Array.from({ length: 51 }, (_, i) => ({
      instrument: "DY_OXIDE",
      price: 1600 + i,
      unit: "CNY/kg",
      ts: new Date(Date.parse("2025-01-01T00:00:00Z") + i * 3_600_000).toISOString(),
      source: "test",
    }));
    expect((await t.call("POST", "/v1/prices?alerts=false", { token: ADMIN, body: { prices } })).status).toBe(202);
    const r = await preview({ instrument: "DY_OXIDE", condition: { type: "above", value: 1 } });
    expect(r.status).toBe(422);
    expect(r.body.error.message).toBe(
      "the preview would run over more than 50 prices: choose a later from or earlier to",
    );
    const narrowed = await preview({
      instrument: "DY_OXIDE",
      condition: { type: "above", value: 1 },
      from: "2025-01-02T00:00:00Z",
    });
    expect(narrowed.status).toBe(200);
    expect(narrowed.body.firings).toHaveLength(1);
  });

  it("needs an API key", async () => {
    expect((await preview({ instrument: "PRND_OXIDE", condition: change30d }, "rea_nope")).status).toBe(401);
    expect((await preview({ instrument: "PRND_OXIDE", condition: change30d }, ADMIN)).status).toBe(401);
  });
});
