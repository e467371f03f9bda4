/** The catalogue with last prices, admin additions, and stored price history. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { AppError, CreateInstrumentSchema, INSTRUMENT_ID_PATTERN, IsoTimestampSchema } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin, requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";

const anyJson = (description: string) => ({ description, content: { "application/json": { schema: z.any() } } });

export function instrumentRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/instruments",
      summary: "The catalogue, each with its last price",
      middleware: requireUser(deps),
      responses: { 200: anyJson("instruments") },
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
      request: { body: { content: { "application/json": { schema: CreateInstrumentSchema } }, required: true } },
      responses: { 201: anyJson("the instrument") },
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
      responses: { 200: anyJson("prices") },
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
