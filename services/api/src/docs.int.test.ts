import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi } from "./test-app.js";
import type { TestApi } from "./test-app.js";

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t.close();
});

const ROUTES = [
  "post /v1/users",
  "get /v1/me",
  "patch /v1/me",
  "post /v1/me/keys",
  "get /v1/instruments",
  "post /v1/instruments",
  "get /v1/instruments/{id}/prices",
  "post /v1/prices",
  "post /v1/rules",
  "get /v1/rules",
  "get /v1/rules/{id}",
  "patch /v1/rules/{id}",
  "delete /v1/rules/{id}",
  "post /v1/rules/preview",
  "get /v1/alerts",
  "post /v1/channels/email",
  "post /v1/channels/email/verify",
  "post /v1/channels/telegram",
  "get /v1/channels",
  "delete /v1/channels/{id}",
  "get /v1/ops/status",
];

describe("the OpenAPI document and its page", () => {
  it("documents every route of the API", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(documented.sort()).toEqual([...ROUTES].sort());
    expect(doc.paths["/v1/alerts"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["since", "limit"]);
    expect(
      doc.paths["/v1/rules/preview"].post.requestBody.content["application/json"].schema.properties,
    ).toHaveProperty("from");
  });

  it("documents what each operation answers: its body's schema, and each failure in the error shape", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    type Response = { content?: Record<string, { schema: Record<string, unknown> }> };
    for (const route of ROUTES) {
      const [method, path] = route.split(" ") as [string, string];
      const responses = doc.paths[path][method].responses as Record<string, Response>;
      const success = Object.keys(responses).filter((s) => s.startsWith("2"));
      const failures = Object.keys(responses).filter((s) => /^[45]/.test(s));
      expect(success, route).toHaveLength(1);
      const schema = responses[success[0]!]!.content?.["application/json"]?.schema;
      if (success[0] === "204") expect(schema, route).toBeUndefined();
      else expect(schema?.type ?? schema?.$ref, route).toBeDefined();
      const admin = ["post /v1/users", "post /v1/instruments", "post /v1/prices", "get /v1/ops/status"].includes(route);
      expect(failures, route).toEqual(expect.arrayContaining(admin ? ["401", "403", "429"] : ["401", "429"]));
      if (!admin) expect(failures, route).not.toContain("403");
      if (path.includes("{id}") || ["post", "patch"].includes(method)) expect(failures, route).toContain("400");
      if (path.includes("{id}")) expect(failures, route).toContain("404");
      for (const status of failures) {
        const error = responses[status]!.content!["application/json"]!.schema;
        expect(error, `${route} ${status}`).toMatchObject({
          properties: { error: { required: ["code", "message"] } },
        });
      }
    }
    const rule = doc.paths["/v1/rules/{id}"].get.responses["200"].content["application/json"].schema;
    expect(rule.required).toEqual(expect.arrayContaining(["id", "instrument", "condition", "state"]));
    const created = doc.paths["/v1/users"].post.responses["201"].content["application/json"].schema;
    expect(created.required).toEqual(expect.arrayContaining(["id", "apiKey"]));
    expect(created.properties).not.toHaveProperty("apiKeyHash");
  });

  it("documents POST /v1/prices as one price or a batch of at least one", async () => {
    const doc = (await t.call("GET", "/openapi.json")).body;
    const body = doc.paths["/v1/prices"].post.requestBody.content["application/json"].schema;
    const [batch, single] = body.anyOf;
    expect(batch.required).toEqual(["prices"]);
    expect(batch.properties.prices).toMatchObject({ type: "array", minItems: 1, items: single });
    expect(single.required).toEqual(["instrument", "price", "unit", "ts", "source"]);
  });

  it("serves /docs: every operation of /openapi.json on one page, with no script", async () => {
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/html");
    const csp = res.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("script-src");
    const html = await res.text();
    expect(html).not.toContain("<script");
    for (const route of ROUTES) {
      const [method, path] = route.split(" ");
      expect(html).toContain(`<span class="method ${method}">${method}</span> <code>${path}</code>`);
    }
    expect(html).toContain("Your alerts, newest first, each with its delivery status per channel");
    expect(html).toContain('<a href="/openapi.json">');
  });
});
