/** POST /v1/users (admin), GET and PATCH /v1/me, and POST /v1/me/keys (rotate your API key). */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { createUser, publicUser, rotateApiKey, updateProfile } from "@rea/accounts";
import {
  ApiKeyIssuedSchema,
  CreateUserSchema,
  PublicUserSchema,
  UpdateMeSchema,
  UserCreatedSchema,
} from "@rea/contracts";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { errorResponses, jsonBody, jsonResponse, noBody } from "../request-bodies.js";

export function userRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/users",
      summary: "Create a user (admin); the API key is shown once",
      middleware: requireAdmin(deps),
      request: { body: jsonBody(CreateUserSchema) },
      responses: {
        201: jsonResponse(UserCreatedSchema, "the user, with its API key"),
        ...errorResponses(400, 401, 403, 413, 429),
      },
    }),
    async (c) => {
      const { user, apiKey, emailChannelId } = await createUser(deps, c.req.valid("json"));
      return c.json(
        {
          ...publicUser(user),
          apiKey,
          ...(emailChannelId === undefined ? {} : { emailChannel: { id: emailChannelId, status: "pending" as const } }),
        },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/me",
      summary: "Your profile",
      middleware: requireUser(deps),
      responses: { 200: jsonResponse(PublicUserSchema, "the user"), ...errorResponses(401, 429) },
    }),
    (c) => c.json(publicUser(c.get("user")), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/me",
      summary: "Change timezone or quiet hours",
      middleware: requireUser(deps),
      request: { body: jsonBody(UpdateMeSchema) },
      responses: {
        200: jsonResponse(PublicUserSchema, "the user"),
        ...errorResponses(400, 401, [409, "the profile was changed at the same time: try again"], 413, 429),
      },
    }),
    async (c) => c.json(publicUser(await updateProfile(deps, c.get("user").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/me/keys",
      summary: "Replace your API key: the new key is shown once, the old one stops working at once",
      middleware: [requireUser(deps), noBody],
      responses: {
        201: jsonResponse(ApiKeyIssuedSchema, "the new API key"),
        ...errorResponses(400, 401, [409, "the profile was changed at the same time: try again"], 413, 429),
      },
    }),
    async (c) => {
      const { apiKey, createdAt } = await rotateApiKey(deps, c.get("user").id);
      return c.json(
        { apiKey, createdAt, message: "store this key now: it is shown once, and the previous key no longer works" },
        201,
      );
    },
  );
  return app;
}
