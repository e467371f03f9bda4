/**
 * /v1/channels: email verification by code, Telegram link codes, listing and
 * removing your channels. Someone else's channel id is a 404.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import {
  ChannelListSchema,
  ChannelSchema,
  EmailChannelPendingSchema,
  EmailSchema,
  TelegramLinkCodeSchema,
} from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { channelsOf, deleteChannel, startEmailVerification, startTelegramLink, verifyEmailCode } from "@rea/accounts";
import { validationHook } from "../http-errors.js";
import { errorResponses, jsonBody, jsonResponse, noBody } from "../request-bodies.js";

export function channelRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const auth = requireUser(deps);

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/channels/email",
      summary: "Add an email address; a code is mailed to it",
      middleware: auth,
      request: { body: jsonBody(z.strictObject({ address: EmailSchema })) },
      responses: {
        202: jsonResponse(EmailChannelPendingSchema, "the channel, waiting for the code mailed to it"),
        ...errorResponses(400, 401, [409, "this address is already verified"], 413, [
          429,
          "too many requests with this key, or a code was sent less than a minute ago: try again after `Retry-After` seconds",
        ]),
      },
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
        body: jsonBody(z.strictObject({ code: z.string().regex(/^[0-9]{6}$/, "the 6-digit code from the mail") })),
      },
      responses: {
        200: jsonResponse(ChannelSchema, "the verified channel"),
        ...errorResponses(
          400,
          401,
          [404, "no verification is pending, or its channel was removed"],
          413,
          [422, "a wrong or expired code, or too many wrong ones: request a new code"],
          429,
        ),
      },
    }),
    async (c) => c.json(await verifyEmailCode(deps, c.get("user").id, c.req.valid("json").code), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/channels",
      summary: "Your channels",
      middleware: auth,
      responses: { 200: jsonResponse(ChannelListSchema, "your channels, oldest first"), ...errorResponses(401, 429) },
    }),
    async (c) => c.json({ channels: await channelsOf(deps, c.get("user").id) }, 200),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/channels/{id}",
      summary: "Remove a channel",
      middleware: auth,
      request: { params: z.object({ id: z.string().min(1).max(64) }) },
      responses: {
        204: { description: "removed" },
        ...errorResponses(400, 401, [404, "no channel with this id among yours"], 429),
      },
    }),
    async (c) => {
      await deleteChannel(deps, c.get("user").id, c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/channels/telegram",
      summary: "A one-time code (15 minutes, single use): send /start <code> to the bot from the chat to link",
      middleware: [auth, noBody],
      responses: { 201: jsonResponse(TelegramLinkCodeSchema, "the link code"), ...errorResponses(400, 401, 413, 429) },
    }),
    async (c) => {
      const { code, link, expiresAt } = await startTelegramLink(deps, c.get("user").id, deps.telegramBotUsername);
      const bot = deps.telegramBotUsername === undefined ? "the bot" : `@${deps.telegramBotUsername}`;
      return c.json(
        {
          code,
          link: link ?? null,
          expiresAt,
          instructions: `send /start ${code} to ${bot} from the Telegram chat that should receive alerts`,
        },
        201,
      );
    },
  );
  return app;
}
