/** Builds the api: routes, limits, the error shape, health, the OpenAPI document and its page. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { PRODUCT_VERSION } from "@rea/contracts";
import { healthRoutes } from "@rea/runtime";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./auth.js";
import type { ApiDeps } from "./deps.js";
import { errorResponse, onError, validationHook } from "./http-errors.js";
import { createRateLimiter } from "./rate-limit.js";
import { alertRoutes } from "./routes/alerts.js";
import { channelRoutes } from "./routes/channels.js";
import { docsRoutes } from "./routes/docs.js";
import { instrumentRoutes } from "./routes/instruments.js";
import { opsRoutes } from "./routes/ops.js";
import { previewRoutes } from "./routes/preview.js";
import { priceRoutes } from "./routes/prices.js";
import { ruleRoutes } from "./routes/rules.js";
import { userRoutes } from "./routes/users.js";

const DOC_CONFIG = {
  openapi: "3.0.3",
  info: {
    title: "Rare-earth price alerts API",
    version: PRODUCT_VERSION,
    description:
      "Users, rules, prices, alerts and channels. Authenticate with `Authorization: Bearer <token>`: " +
      "an API key for your own data, the admin token for admin routes. No token, or an unknown one, is a 401; " +
      "a user's API key on an admin route is a 403.",
  },
  security: [{ bearer: [] }],
};

export function createApp(appDeps: ApiDeps): OpenAPIHono<AppEnv> {
  const deps: ApiDeps = { ...appDeps, rateLimiter: appDeps.rateLimiter ?? createRateLimiter(appDeps.now) };
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.onError(onError(deps.logger));
  app.notFound((c) => errorResponse(c, "NOT_FOUND", `no route ${c.req.method} ${c.req.path}`));
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: deps.limits.maxBodyBytes,
      onError: (c) =>
        errorResponse(c, "PAYLOAD_TOO_LARGE", `the request body is larger than ${deps.limits.maxBodyBytes} bytes`),
    }),
  );
  app.route("/", healthRoutes(deps.ready, deps.registry));
  // preview before rules: POST /v1/rules/preview is not a rule id
  for (const routes of [
    userRoutes,
    previewRoutes,
    ruleRoutes,
    alertRoutes,
    priceRoutes,
    channelRoutes,
    instrumentRoutes,
    opsRoutes,
  ]) {
    app.route("/", routes(deps));
  }
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc("/openapi.json", DOC_CONFIG);
  app.route(
    "/",
    docsRoutes(() => app.getOpenAPIDocument(DOC_CONFIG)),
  );
  return app;
}
