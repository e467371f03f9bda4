/** POST /v1/users (admin), GET and PATCH /v1/me. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { createUser, publicUser } from "@rea/accounts";
import { CreateUserSchema, UpdateMeSchema } from "@rea/contracts";
import type { User } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";

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
    async (c) => {
      const patch = c.req.valid("json");
      const current = c.get("user");
      const { quietHours: _q, ...base } = current;
      const quiet = patch.quietHours === undefined ? current.quietHours : (patch.quietHours ?? undefined);
      const next: User = {
        ...base,
        ...(patch.timezone === undefined ? {} : { timezone: patch.timezone }),
        ...(quiet === undefined ? {} : { quietHours: quiet }),
      };
      await deps.stores.users.put(current.id, next);
      return c.json(publicUser(next), 200);
    },
  );
  return app;
}
