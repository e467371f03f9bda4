import { createHash } from "node:crypto";
import { Script } from "node:vm";
import { TypedBucket, ensureConsumer, registerService } from "@rea/bus";
import type { RegisteredService } from "@rea/bus";
import { BUCKETS, CONSUMERS, DeliveryRecordSchema, STREAMS } from "@rea/contracts";
import type { DeliveryRecord } from "@rea/contracts";
import { fixturePrice } from "@rea/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, newUser, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let services: RegisteredService[];
const feb28 = fixturePrice("PRND_OXIDE", "2025-02-28");
const hostile = "<script>alert(1)</script>";

const failure = (n: number, at: string, reason: string): DeliveryRecord => ({
  alertId: `r_OpsRule0001:1:${n}`,
  userId: "u_OpsUser00001",
  channel: "telegram",
  channelId: "c_OpsChan0001",
  status: "failed",
  attempts: 1,
  reason,
  at,
});

beforeAll(async () => {
  t = await startTestApi({ recentDeliveryFailures: 2 });
  await ensureConsumer(t.nc, { stream: STREAMS.PRICES.name, durable: CONSUMERS.EVALUATOR, filterSubject: "prices.>" });
  await ensureConsumer(t.nc, { stream: STREAMS.ALERTS.name, durable: CONSUMERS.NOTIFIER, filterSubject: "alerts.>" });
  services = [
    await registerService(t.nc, {
      name: "evaluator",
      version: "0.1.0",
      description: "evaluator",
      status: () => ({ ready: true, rules: 3 }),
    }),
    await registerService(t.nc, {
      name: "notifier",
      version: "0.1.0",
      description: "notifier",
      status: () => ({ ready: false, note: hostile }),
    }),
  ];
  const body = { prices: [fixturePrice("PRND_OXIDE", "2025-01-27"), feb28] };
  expect((await t.call("POST", "/v1/prices?alerts=false", { token: ADMIN, body })).status).toBe(202);
  const deliveries = await TypedBucket.open(t.nc, BUCKETS.DELIVERIES, DeliveryRecordSchema);
  await deliveries.put("r_OpsRule0001.1.1.c_OpsChan0001", failure(1, "2025-03-01T00:00:00Z", "400: chat not found"));
  await deliveries.put("r_OpsRule0001.1.2.c_OpsChan0001", failure(2, "2025-03-03T00:00:00Z", `550 ${hostile}`));
  await deliveries.put("r_OpsRule0001.1.3.c_OpsChan0001", failure(3, "2025-03-02T00:00:00Z", "403: bot blocked"));
  await deliveries.put("r_OpsRule0001.1.4.c_OpsChan0001", {
    ...failure(4, "2025-03-04T00:00:00Z", ""),
    status: "sent",
  });
});
afterAll(async () => {
  for (const s of services) await s.stop();
  await t.close();
});

describe("GET /v1/ops/status", () => {
  it("shows every service instance, consumer lag, feed freshness and delivery failures", async () => {
    const r = await t.call("GET", "/v1/ops/status", { token: ADMIN });
    expect(r.status).toBe(200);
    expect(r.body.generatedAt).toBe(new Date(t.clock.now).toISOString());
    expect(r.body.services).toEqual([
      {
        name: "evaluator",
        id: services[0]!.id,
        version: "0.1.0",
        started: expect.any(String),
        status: { ready: true, rules: 3 },
      },
      {
        name: "notifier",
        id: services[1]!.id,
        version: "0.1.0",
        started: expect.any(String),
        status: { ready: false, note: hostile },
      },
    ]);
    expect(r.body.consumers).toEqual([
      { stream: "ALERTS", consumer: CONSUMERS.NOTIFIER, pending: 0, ackPending: 0, redelivered: 0 },
      { stream: "PRICES", consumer: CONSUMERS.EVALUATOR, pending: 2, ackPending: 0, redelivered: 0 },
    ]);
    const prnd = r.body.feeds.find((f: { instrument: string }) => f.instrument === "PRND_OXIDE");
    expect(prnd).toEqual({
      instrument: "PRND_OXIDE",
      unit: "CNY/t",
      last: { price: feb28.price, ts: feb28.ts, source: "smm", seq: 2 },
      ageSeconds: (t.clock.now - Date.parse(feb28.ts)) / 1000,
    });
    expect(r.body.feeds.find((f: { instrument: string }) => f.instrument === "TB_OXIDE")).toMatchObject({
      last: null,
      ageSeconds: null,
    });
    expect(r.body.deliveryFailures.count).toBe(3);
    expect(r.body.deliveryFailures.recent.map((d: DeliveryRecord) => d.alertId)).toEqual([
      "r_OpsRule0001:1:2",
      "r_OpsRule0001:1:3",
    ]);
  });

  it("is for the admin only: 403 for a user's key, 401 without a token", async () => {
    const u = await newUser(t);
    expect((await t.call("GET", "/v1/ops/status", { token: u.apiKey })).status).toBe(403);
    expect((await t.call("GET", "/v1/ops/status")).status).toBe(401);
  });
});

describe("the /ops page", () => {
  it("serves a page with a token field, no secret and a strict content policy", async () => {
    const res = await t.app.request("/ops");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain('<input id="token" type="password"');
    expect(html).toContain('fetch("/ops/panel"');
    expect(html).not.toContain(ADMIN);
    // the policy allows exactly the page's own script and style, and the script parses
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? "";
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1] ?? "";
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(() => new Script(script)).not.toThrow();
  });

  it("renders the status with the admin token, escaping what services report", async () => {
    const res = await t.app.request("/ops/panel", { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h2>Services (2)</h2>");
    expect(html).toContain("<h2>Delivery failures: 3</h2>");
    expect(html).toContain(`<td>${CONSUMERS.EVALUATOR}</td><td>2</td>`);
    expect(html).toContain("<td>PRND_OXIDE</td><td>444000 CNY/t</td>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script");
    expect(html).toContain('<tr class="bad"><td>notifier</td>');
  });

  it("refuses the panel without the admin token", async () => {
    const res = await t.app.request("/ops/panel");
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: "UNAUTHORIZED", message: "missing bearer token: send Authorization: Bearer <token>" },
    });
  });
});
