/** /v1/channels: email verification by code; listing and removing your channels. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { AppError, EmailSchema } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { startEmailVerification, verifyEmailCode } from "@rea/accounts";
import { validationHook } from "../http-errors.js";

const anyJson = (description: string) => ({ description, content: { "application/json": { schema: z.any() } } });
const body = <S extends z.ZodType>(schema: S) => ({ content: { "application/json": { schema } }, required: true });

export function channelRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const auth = requireUser(deps);

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/channels/email",
      summary: "Add an email address; a code is mailed to it",
      middleware: auth,
      request: { body: body(z.strictObject({ address: EmailSchema })) },
      responses: { 202: anyJson("pending channel") },
    }),
    async (c) => {
      const ch = await startEmailVerification(deps, c.get("user").id, c.req.valid("json").address);
      return c.json(
        { id: ch.id, type: ch.type, status: ch.status, message: "a verification code was sent to the address" },
        202,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/channels/email/verify",
      summary: "Verify an email address with the mailed code",
      middleware: auth,
      request: {
        body: body(z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, "the 6-digit code from the mail") })),
      },
      responses: { 200: anyJson("the verified channel") },
    }),
    async (c) => c.json(await verifyEmailCode(deps, c.get("user").id, c.req.valid("json").code), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/channels",
      summary: "Your channels",
      middleware: auth,
      responses: { 200: anyJson("channels") },
    }),
    async (c) => {
      const mine = await deps.stores.channels.entries(`${c.get("user").id}.*`);
      return c.json({ channels: [...mine.values()].map((v) => v.value) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/channels/{id}",
      summary: "Remove a channel",
      middleware: auth,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: { 204: { description: "removed" } },
    }),
    async (c) => {
      const key = `${c.get("user").id}.${c.req.valid("param").id}`;
      if (!/^u_[A-Za-z0-9]+\.c_[A-Za-z0-9]+$/.test(key) || (await deps.stores.channels.get(key)) === undefined) {
        throw new AppError("NOT_FOUND", `no channel ${c.req.valid("param").id}`);
      }
      await deps.stores.channels.delete(key);
      return c.body(null, 204);
    },
  );
  return app;
}
