/** POST /v1/users (admin), GET and PATCH /v1/me. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { CreateUserSchema, UpdateMeSchema } from "@rea/contracts";
import type { PublicUser, User } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { startEmailVerification } from "../email-verification.js";
import { validationHook } from "../http-errors.js";
import { newApiKey, newId, sha256 } from "../ids.js";

const json = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });
const anyJson = (description: string) => ({ description, content: { "application/json": { schema: z.any() } } });

export const publicUser = ({ apiKeyHash: _hash, ...rest }: User): PublicUser => rest;

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
      const body = c.req.valid("json");
      const apiKey = newApiKey();
      const now = new Date(deps.now()).toISOString();
      const user: User = {
        id: newId("u"),
        name: body.name,
        ...(body.email === undefined ? {} : { email: body.email }),
        timezone: body.timezone,
        apiKeyHash: sha256(apiKey),
        createdAt: now,
      };
      await deps.stores.users.create(user.id, user);
      await deps.stores.apikeys.put(user.apiKeyHash, { userId: user.id, createdAt: now });
      let emailChannel: string | undefined;
      if (body.email !== undefined) emailChannel = (await startEmailVerification(deps, user.id, body.email)).id;
      deps.logger.info({ userId: user.id }, "user created");
      return c.json(
        {
          ...publicUser(user),
          apiKey,
          ...(emailChannel === undefined ? {} : { emailChannel: { id: emailChannel, status: "pending" } }),
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
