import { describe, expect, it } from "vitest";
import { renderDocsPage } from "./docs-page.js";
import { age, esc } from "./html.js";
import { renderOpsPanel } from "./ops-page.js";

describe("page rendering", () => {
  it("escapes text for element content and attributes", () => {
    expect(esc(`<a href="x" onclick='y'>&`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;");
    expect(esc(undefined)).toBe("");
    expect(esc(12.5)).toBe("12.5");
  });

  it("says how old a price is in words", () => {
    expect([age(null), age(42), age(600), age(3 * 3600), age(3 * 86_400)]).toEqual([
      "never",
      "42 s",
      "10 min",
      "3 h",
      "3 d",
    ]);
  });

  it("says so when there is nothing to show", () => {
    const html = renderOpsPanel({
      generatedAt: "2025-03-11T08:00:00.000Z",
      services: [],
      consumers: [],
      feeds: [],
      deliveryFailures: { count: 0, recent: [] },
    });
    expect(html).toContain("No service answered.");
    expect(html).toContain("No durable consumer.");
    expect(html).toContain("No failed deliveries.");
  });

  it("escapes what an OpenAPI document says", () => {
    const html = renderDocsPage({
      info: { title: "T<i>", version: "1" },
      paths: {
        "/v1/x": { get: { summary: "<img src=x onerror=alert(1)>", responses: { 200: { description: "ok" } } } },
      },
    });
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(html).not.toContain("<img");
    expect(html).toContain("<title>T&lt;i&gt;: API reference</title>");
  });
});
