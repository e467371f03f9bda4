/**
 * A user can never see, change or learn of another user's rules, alerts or
 * channels: on every user route, user B gets a 404 for A's ids (the same answer
 * as for an id that never existed) and never finds A's items in a list.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { linkTelegram, newUser, publishAlert, sampleAlert, startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
let a: { id: string; apiKey: string };
let b: { id: string; apiKey: string };
let ruleA: { id: string; revision: number };
let chatA: { id: string };
let emailCodeA: string;

const rule = { instrument: "PRND_OXIDE", condition: { type: "above", value: 450000 } };
const NEVER_RULE = "r_NeverExisted01";
const NEVER_CHANNEL = "c_NeverExisted01";

beforeAll(async () => {
  t = await startTestApi({ maxRulesPerUser: 2 });
  a = await newUser(t, "Alice");
  b = await newUser(t, "Bob");
  ruleA = (await t.call("POST", "/v1/rules", { token: a.apiKey, body: rule })).body;
  await t.call("POST", "/v1/rules", { token: a.apiKey, body: { ...rule, note: "second" } });
  chatA = await linkTelegram(t, a.apiKey, "1000001");
  await t.call("POST", "/v1/channels/email", { token: a.apiKey, body: { address: "alice@magnets.example" } });
  const mail = await t.smtp.waitFor((m) => m.to.includes("alice@magnets.example"));
  emailCodeA = /verification code: ([0-9]{6})/.exec(mail.subject)?.[1] ?? "";
  await publishAlert(t, sampleAlert(a.id, 1, { ruleId: ruleA.id }));
  await publishAlert(t, sampleAlert(b.id, 2, { ruleId: "r_BobsRule0001" }));
});
afterAll(async () => {
  await t.close();
});

async function bothMissing(method: string, path: (id: string) => string, ofA: string, never: string, body?: unknown) {
  const forA = await t.call(method, path(ofA), { token: b.apiKey, body });
  const forNever = await t.call(method, path(never), { token: b.apiKey, body });
  expect(forA.status).toBe(404);
  expect(forNever.status).toBe(404);
  expect(JSON.stringify(forA.body).replace(ofA, "<id>")).toBe(JSON.stringify(forNever.body).replace(never, "<id>"));
}

describe("isolation between users", () => {
  it("GET and PATCH /v1/me show and change only your own profile", async () => {
    const me = await t.call("GET", "/v1/me", { token: b.apiKey });
    expect(me.body).toMatchObject({ id: b.id, name: "Bob" });
    expect(JSON.stringify(me.body)).not.toContain(a.id);
    await t.call("PATCH", "/v1/me", { token: b.apiKey, body: { timezone: "Europe/London" } });
    expect((await t.call("GET", "/v1/me", { token: a.apiKey })).body.timezone).toBe("Asia/Shanghai");
  });

  it("GET /v1/rules lists only your rules", async () => {
    const mine = await t.call("GET", "/v1/rules", { token: b.apiKey });
    expect(mine.status).toBe(200);
    expect(mine.body.rules).toEqual([]);
    expect((await t.call("GET", "/v1/rules", { token: a.apiKey })).body.rules).toHaveLength(2);
  });

  it("GET, PATCH and DELETE /v1/rules/{id} answer 404 for someone else's rule, as for none at all", async () => {
    await bothMissing("GET", (id) => `/v1/rules/${id}`, ruleA.id, NEVER_RULE);
    await bothMissing("PATCH", (id) => `/v1/rules/${id}`, ruleA.id, NEVER_RULE, { enabled: false });
    await bothMissing("DELETE", (id) => `/v1/rules/${id}`, ruleA.id, NEVER_RULE);
    const still = await t.call("GET", `/v1/rules/${ruleA.id}`, { token: a.apiKey });
    expect(still.status).toBe(200);
    expect(still.body).toMatchObject({ revision: ruleA.revision, enabled: true });
  });

  it("POST /v1/rules counts only your own rules against the limit", async () => {
    expect((await t.call("POST", "/v1/rules", { token: a.apiKey, body: rule })).status).toBe(409);
    expect((await t.call("POST", "/v1/rules", { token: b.apiKey, body: rule })).status).toBe(201);
  });

  it("POST /v1/rules/preview tells nothing of other users' rules", async () => {
    const r = await t.call("POST", "/v1/rules/preview", { token: b.apiKey, body: rule });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(ruleA.id);
    expect(JSON.stringify(r.body)).not.toContain(a.id);
  });

  it("GET /v1/alerts lists only your alerts, with only your channels", async () => {
    const mine = await t.call("GET", "/v1/alerts", { token: b.apiKey });
    expect(mine.body.alerts.map((x: { userId: string }) => x.userId)).toEqual([b.id]);
    expect(JSON.stringify(mine.body)).not.toContain(ruleA.id);
    const theirs = await t.call("GET", "/v1/alerts", { token: a.apiKey });
    expect(theirs.body.alerts.map((x: { userId: string }) => x.userId)).toEqual([a.id]);
    expect(theirs.body.alerts[0].deliveries.map((d: { channelId: string }) => d.channelId)).toEqual([chatA.id]);
  });

  it("GET /v1/channels lists only your channels", async () => {
    expect((await t.call("GET", "/v1/channels", { token: b.apiKey })).body.channels).toEqual([]);
    const theirs = (await t.call("GET", "/v1/channels", { token: a.apiKey })).body.channels;
    expect(theirs.map((c: { type: string }) => c.type).sort()).toEqual(["email", "telegram"]);
  });

  it("DELETE /v1/channels/{id} answers 404 for someone else's channel, as for none at all", async () => {
    await bothMissing("DELETE", (id) => `/v1/channels/${id}`, chatA.id, NEVER_CHANNEL);
    const theirs = (await t.call("GET", "/v1/channels", { token: a.apiKey })).body.channels;
    expect(theirs.map((c: { id: string }) => c.id)).toContain(chatA.id);
  });

  it("POST /v1/channels/email/verify cannot use someone else's code", async () => {
    const r = await t.call("POST", "/v1/channels/email/verify", { token: b.apiKey, body: { code: emailCodeA } });
    expect(r.status).toBe(404);
    const ok = await t.call("POST", "/v1/channels/email/verify", { token: a.apiKey, body: { code: emailCodeA } });
    expect(ok.status).toBe(200);
  });

  it("POST /v1/channels/email does not reveal that someone else uses the address", async () => {
    const r = await t.call("POST", "/v1/channels/email", {
      token: b.apiKey,
      body: { address: "alice@magnets.example" },
    });
    expect(r.status).toBe(202);
    const mine = (await t.call("GET", "/v1/channels", { token: b.apiKey })).body.channels;
    expect(mine).toEqual([expect.objectContaining({ userId: b.id, status: "pending" })]);
  });

  it("POST /v1/channels/telegram links the chat to the user who asked for the code", async () => {
    const chatB = await linkTelegram(t, b.apiKey, "2000002");
    expect(chatB.userId).toBe(b.id);
    const theirs = (await t.call("GET", "/v1/channels", { token: a.apiKey })).body.channels;
    expect(theirs.map((c: { id: string }) => c.id)).not.toContain(chatB.id);
  });

  it("POST /v1/me/keys replaces only your key", async () => {
    const rotated = await t.call("POST", "/v1/me/keys", { token: b.apiKey });
    expect(rotated.status).toBe(201);
    expect((await t.call("GET", "/v1/me", { token: a.apiKey })).body.id).toBe(a.id);
    expect((await t.call("GET", "/v1/me", { token: rotated.body.apiKey })).body.id).toBe(b.id);
    b = { ...b, apiKey: rotated.body.apiKey };
  });
});
