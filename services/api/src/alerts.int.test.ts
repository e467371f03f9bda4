import { TypedBucket } from "@rea/bus";
import { BUCKETS, DeliveryRecordSchema, deliveryKey } from "@rea/contracts";
import type { Channel, DeliveryRecord } from "@rea/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, linkTelegram, newUser, publishAlert, sampleAlert, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let deliveries: TypedBucket<DeliveryRecord>;
beforeAll(async () => {
  t = await startTestApi();
  deliveries = await TypedBucket.open(t.nc, BUCKETS.DELIVERIES, DeliveryRecordSchema);
});
afterAll(async () => {
  await t.close();
});

async function verifiedEmail(apiKey: string, address: string): Promise<Channel> {
  await t.call("POST", "/v1/channels/email", { token: apiKey, body: { address } });
  const mail = await t.smtp.waitFor((m) => m.to.includes(address));
  const code = /verification code: ([0-9]{6})/.exec(mail.subject)?.[1];
  const r = await t.call("POST", "/v1/channels/email/verify", { token: apiKey, body: { code } });
  expect(r.status).toBe(200);
  return r.body as Channel;
}

const record = (alertId: string, ch: Channel, over: Partial<DeliveryRecord>): DeliveryRecord => ({
  alertId,
  userId: ch.userId,
  channel: ch.type,
  channelId: ch.id,
  status: "sent",
  attempts: 1,
  at: "2025-02-25T00:00:05Z",
  ...over,
});

describe("GET /v1/alerts", () => {
  it("lists your alerts newest first, each with its delivery status per channel", async () => {
    const u = await newUser(t, "Watcher");
    const email = await verifiedEmail(u.apiKey, "watcher@magnets.example");
    const chat = await linkTelegram(t, u.apiKey, "777001");
    const first = sampleAlert(u.id, 11);
    const second = sampleAlert(u.id, 12, { channels: ["email"], price: { ...first.price, value: 455000, seq: 12 } });
    await publishAlert(t, first);
    await publishAlert(t, second);
    await deliveries.put(deliveryKey(first.id, email.id), record(first.id, email, {}));
    await deliveries.put(
      deliveryKey(first.id, chat.id),
      record(first.id, chat, { status: "failed", attempts: 2, reason: "403: bot was blocked by the user" }),
    );

    const r = await t.call("GET", "/v1/alerts", { token: u.apiKey });
    expect(r.status).toBe(200);
    expect(r.body.alerts.map((a: { id: string }) => a.id)).toEqual([second.id, first.id]);
    const [newest, oldest] = r.body.alerts;
    expect(oldest).toMatchObject({ ...first, publishedAt: expect.any(String) });
    expect(oldest.deliveries).toEqual([
      { channelId: email.id, channel: "email", status: "sent", attempts: 1, at: "2025-02-25T00:00:05Z" },
      {
        channelId: chat.id,
        channel: "telegram",
        status: "failed",
        attempts: 2,
        reason: "403: bot was blocked by the user",
        at: "2025-02-25T00:00:05Z",
      },
    ]);
    // nothing recorded yet for the email; the alert does not go to Telegram
    expect(newest.deliveries).toEqual([{ channelId: email.id, channel: "email", status: "pending", attempts: 0 }]);
  });

  it("pages with limit and filters by publication time with since", async () => {
    const u = await newUser(t);
    for (const seq of [21, 22, 23]) await publishAlert(t, sampleAlert(u.id, seq));
    const two = await t.call("GET", "/v1/alerts?limit=2", { token: u.apiKey });
    expect(two.body.alerts.map((a: { price: { seq: number } }) => a.price.seq)).toEqual([23, 22]);
    const all = await t.call("GET", "/v1/alerts", { token: u.apiKey });
    const oldestPublished = all.body.alerts[2].publishedAt as string;
    const since = await t.call("GET", `/v1/alerts?since=${encodeURIComponent(oldestPublished)}`, { token: u.apiKey });
    expect(since.body.alerts).toHaveLength(3);
    const future = new Date(Date.parse(all.body.alerts[0].publishedAt) + 60_000).toISOString();
    const none = await t.call("GET", `/v1/alerts?since=${encodeURIComponent(future)}`, { token: u.apiKey });
    expect(none.body.alerts).toEqual([]);
  });

  it("answers an empty list before any alert", async () => {
    const u = await newUser(t);
    const r = await t.call("GET", "/v1/alerts", { token: u.apiKey });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ alerts: [] });
  });

  it("never shows an alert filed under your subject that names someone else", async () => {
    const a = await newUser(t, "A");
    const b = await newUser(t, "B");
    await publishAlert(t, sampleAlert(a.id, 31), b.id);
    expect((await t.call("GET", "/v1/alerts", { token: b.apiKey })).body.alerts).toEqual([]);
    expect((await t.call("GET", "/v1/alerts", { token: a.apiKey })).body.alerts).toEqual([]);
  });

  it.each([
    ["limit=0", "query.limit"],
    ["limit=501", "query.limit"],
    ["limit=ten", "query.limit"],
    ["since=yesterday", "query.since"],
    ["limt=5", "query"],
  ])("rejects ?%s with the parameter's path", async (qs, path) => {
    const u = await newUser(t);
    const r = await t.call("GET", `/v1/alerts?${qs}`, { token: u.apiKey });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe("VALIDATION");
    expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
  });

  it("needs a user's key", async () => {
    expect((await t.call("GET", "/v1/alerts")).status).toBe(401);
    expect((await t.call("GET", "/v1/alerts", { token: ADMIN })).status).toBe(401);
  });
});
