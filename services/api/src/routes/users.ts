/** POST /v1/users (admin), GET and PATCH /v1/me, and POST /v1/me/keys (rotate your API key). */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { createUser, publicUser, rotateApiKey, updateProfile } from "@rea/accounts";
import { ApiKeyIssuedSchema, CreateUserSchema, UpdateMeSchema } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { jsonResponse, noBody } from "../request-bodies.js";

const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const anyJson = (description: string) => ({ description, content: { "application/json": { schema: z.any() } } });

export function userRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/users",
      summary: "Create a user (admin); the API key is shown once",
      middleware: requireAdmin(deps),
      request: { body: json(CreateUserSchema) },
      responses: { 201: anyJson("the user, with its API key") },
    }),
    async (c) => {
      const { user, apiKey, emailChannelId } = await createUser(deps, c.req.valid("json"));
      return c.json(
        {
          ...publicUser(user),
          apiKey,
          ...(emailChannelId === undefined ? {} : { emailChannel: { id: emailChannelId, status: "pending" } }),
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
      responses: { 200: anyJson("the user") },
    }),
    (c) => c.json(publicUser(c.get("user")), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/me",
      summary: "Change timezone or quiet hours",
      middleware: requireUser(deps),
      request: { body: json(UpdateMeSchema) },
      responses: { 200: anyJson("the user") },
    }),
    async (c) => c.json(publicUser(await updateProfile(deps, c.get("user").id, c.req.valid("json"))), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/me/keys",
      summary: "Replace your API key: the new key is shown once, the old one stops working at once",
      middleware: [requireUser(deps), noBody],
      responses: { 201: jsonResponse(ApiKeyIssuedSchema, "the new API key") },
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
