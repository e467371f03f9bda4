/** Builds the api: routes, limits, the error shape, health and the OpenAPI document. */
import { OpenAPIHono } from "@hono/zod-openapi";
import { PRODUCT_VERSION } from "@rea/contracts";
import { healthRoutes } from "@rea/runtime";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "./auth.js";
import type { ApiDeps } from "./deps.js";
import { errorResponse, onError, validationHook } from "./http-errors.js";
import { channelRoutes } from "./routes/channels.js";
import { instrumentRoutes } from "./routes/instruments.js";
import { priceRoutes } from "./routes/prices.js";
import { ruleRoutes } from "./routes/rules.js";
import { userRoutes } from "./routes/users.js";

export function createApp(deps: ApiDeps): OpenAPIHono<AppEnv> {
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
  for (const routes of [userRoutes, ruleRoutes, priceRoutes, channelRoutes, instrumentRoutes]) {
    app.route("/", routes(deps));
  }
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc("/openapi.json", {
    openapi: "3.0.3",
    info: {
      title: "Rare-earth price alerts API",
      version: PRODUCT_VERSION,
      description: "Users, rules, prices and channels. Authenticate with `Authorization: Bearer <token>`.",
    },
    security: [{ bearer: [] }],
  });
  return app;
}
