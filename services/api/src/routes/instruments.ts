/** The catalogue with last prices, admin additions, and stored price history. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import {
  AppError,
  CreateInstrumentSchema,
  INSTRUMENT_ID_PATTERN,
  InstrumentListSchema,
  InstrumentSchema,
  IsoTimestampSchema,
  PriceHistorySchema,
} from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { errorResponses, jsonBody, jsonResponse } from "../request-bodies.js";

export function instrumentRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/instruments",
      summary: "The catalogue, each with its last price",
      middleware: requireUser(deps),
      responses: {
        200: jsonResponse(InstrumentListSchema, "the catalogue, each with its last price"),
        ...errorResponses(401, 429),
      },
    }),
    async (c) => {
      const all = [...(await deps.stores.instruments.entries()).values()].map((v) => v.value);
      all.sort((a, b) => a.id.localeCompare(b.id));
      const withLast = await Promise.all(
        all.map(async (inst) => {
          const last = await deps.prices.last(inst.id);
          return {
            ...inst,
            last: last === undefined ? null : { price: last.price, unit: last.unit, ts: last.ts, source: last.source },
          };
        }),
      );
      return c.json({ instruments: withLast }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/instruments",
      summary: "Add an instrument (admin)",
      middleware: requireAdmin(deps),
      request: { body: jsonBody(CreateInstrumentSchema) },
      responses: {
        201: jsonResponse(InstrumentSchema, "the instrument"),
        ...errorResponses(400, 401, 403, [409, "an instrument with this id exists"], 413, 429),
      },
    }),
    async (c) => {
      const inst = c.req.valid("json");
      await deps.stores.instruments.create(inst.id, inst).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "CONFLICT")
          throw new AppError("CONFLICT", `instrument ${inst.id} already exists`);
        throw e;
      });
      return c.json(inst, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/instruments/{id}/prices",
      summary: "Stored price history, oldest first",
      middleware: requireUser(deps),
      request: {
        params: z.object({ id: z.string().min(1).max(40) }),
        query: z.strictObject({
          from: IsoTimestampSchema.optional(),
          to: IsoTimestampSchema.optional(),
          limit: z.coerce.number().int().min(1).max(10_000).default(1000),
        }),
      },
      responses: {
        200: jsonResponse(PriceHistorySchema, "stored prices, oldest first"),
        ...errorResponses(400, 401, [404, "no instrument with this id"], 429),
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const q = c.req.valid("query");
      if (!INSTRUMENT_ID_PATTERN.test(id) || (await deps.stores.instruments.get(id)) === undefined)
        throw new AppError("NOT_FOUND", `unknown instrument ${id}`);
      const prices = await deps.prices.history(id, {
        ...(q.from === undefined ? {} : { fromMs: Date.parse(q.from) }),
        ...(q.to === undefined ? {} : { toMs: Date.parse(q.to) }),
        limit: q.limit,
      });
      return c.json({ instrument: id, prices }, 200);
    },
  );
  return app;
}
