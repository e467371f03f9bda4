/**
 * Operations (admin): `GET /v1/ops/status` as JSON, and the `/ops` page with
 * its server-rendered `/ops/panel`. The page itself is public and holds nothing;
 * the panel needs the admin token.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { OpsStatusSchema } from "@rea/contracts";
import type { AppEnv } from "../auth.js";
import { requireAdmin } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { collectOpsStatus } from "../ops-status.js";
import { pageHeaders } from "../pages/html.js";
import { OPS_SHELL_CSP, renderOpsPanel, renderOpsShell } from "../pages/ops-page.js";
import { errorResponses, jsonResponse } from "../request-bodies.js";

export function opsRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/ops/status",
      summary: "Every service instance, consumer lag, feed freshness and delivery failures (admin)",
      middleware: requireAdmin(deps),
      responses: { 200: jsonResponse(OpsStatusSchema, "the status of the system"), ...errorResponses(401, 403, 429) },
    }),
    async (c) => c.json(await collectOpsStatus(deps), 200),
  );

  app.get("/ops", (c) => c.html(renderOpsShell(), 200, pageHeaders(OPS_SHELL_CSP)));

  app.get("/ops/panel", requireAdmin(deps), async (c) =>
    c.html(renderOpsPanel(await collectOpsStatus(deps)), 200, pageHeaders("default-src 'none'")),
  );
  return app;
}
