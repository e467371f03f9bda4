/** `GET /docs`: the OpenAPI document as a browsable page. */
import { Hono } from "hono";
import { pageHeaders } from "../pages/html.js";
import { DOCS_CSP, renderDocsPage } from "../pages/docs-page.js";

export function docsRoutes(openApiDocument: () => unknown): Hono {
  const app = new Hono();
  let page: string | undefined;
  app.get("/docs", (c) => {
    page ??= renderDocsPage(openApiDocument());
    return c.html(page, 200, pageHeaders(DOCS_CSP));
  });
  return app;
}
