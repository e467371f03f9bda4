/**
 * POST /v1/prices (admin): one price, or `{prices:[...]}` for a batch. Each price
 * is validated on its own; a batch answers 202 with what was accepted and, for
 * each rejected one, its index and error. A single invalid price is a 400 (bad
 * shape) or 422 (unknown instrument, wrong unit, time out of range); a batch
 * whose `prices` is empty or not a list is a 400 that names `prices`.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { AppError, PriceMessageSchema, PricesAcceptedSchema, checkPrice, issuesToDetails } from "@rea/contracts";
import type { ErrorBody, PriceMessage } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireAdmin } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { errorBody, validationHook } from "../http-errors.js";
import { errorResponses, jsonBody, jsonResponse } from "../request-bodies.js";

/** Each price of a batch is checked on its own, so that one bad price is a rejection, not a 400. */
const BatchSchema = z.strictObject({
  prices: z.array(z.unknown(), { error: "prices must be a list of prices" }).min(1, "send at least one price"),
});

/**
 * A body with a `prices` field is a batch and must be one; any other object is a
 * single price. The document shows what a client sends: a price, or a batch of them.
 */
const BodySchema = z
  .record(z.string(), z.unknown())
  .superRefine((body, ctx) => {
    if (!("prices" in body)) return;
    const batch = BatchSchema.safeParse(body);
    for (const issue of batch.error?.issues ?? [])
      ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  })
  .meta({
    type: "object",
    anyOf: [
      z.toJSONSchema(z.strictObject({ prices: z.array(PriceMessageSchema).min(1) }), { target: "openapi-3.0" }),
      z.toJSONSchema(PriceMessageSchema, { target: "openapi-3.0" }),
    ],
  });

type Checked = { ok: true; price: PriceMessage } | { ok: false; status: 400 | 422; error: ErrorBody["error"] };

export function priceRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  const check = async (raw: unknown, units: Map<string, string | undefined>): Promise<Checked> => {
    const parsed = PriceMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const details = issuesToDetails(parsed.error.issues);
      const first = details[0];
      return {
        ok: false,
        status: 400,
        error: errorBody("VALIDATION", first ? `${first.path || "price"}: ${first.message}` : "invalid price", details)
          .error,
      };
    }
    const id = parsed.data.instrument;
    if (!units.has(id)) units.set(id, (await deps.stores.instruments.get(id))?.value.unit);
    const unit = units.get(id);
    const issue = checkPrice(parsed.data, {
      unitOf: () => unit,
      nowMs: deps.now(),
      horizonDays: deps.limits.backfillHorizonDays,
    });
    if (issue !== undefined) {
      return {
        ok: false,
        status: 422,
        error: errorBody("UNPROCESSABLE", issue.message, [{ path: issue.path, message: issue.message }]).error,
      };
    }
    return { ok: true, price: parsed.data };
  };

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/prices",
      summary: "Publish prices (admin): one, or {prices:[...]}; history is welcome",
      middleware: requireAdmin(deps),
      request: {
        query: z.strictObject({ alerts: z.enum(["true", "false"]).default("true") }),
        body: jsonBody(BodySchema),
      },
      responses: {
        202: jsonResponse(PricesAcceptedSchema, "accepted prices and the rejected ones with their errors"),
        ...errorResponses(
          [400, "a single price with a bad shape, an empty or malformed batch, or a body that is not JSON"],
          401,
          403,
          [413, "the body is larger than the api takes, or the batch holds more prices than it takes"],
          [422, "a single price for an unknown instrument, in the wrong unit or out of time range"],
          429,
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const alerts = c.req.valid("query").alerts === "true";
      // the body's schema made any body with `prices` a valid batch
      const isBatch = "prices" in body;
      const items: unknown[] = isBatch ? (body.prices as unknown[]) : [body];
      if (items.length > deps.limits.maxPricesPerRequest) {
        throw new AppError("PAYLOAD_TOO_LARGE", `at most ${deps.limits.maxPricesPerRequest} prices per request`);
      }
      const rejected: Array<{ index: number; error: ErrorBody["error"] }> = [];
      let accepted = 0;
      let duplicates = 0;
      const units = new Map<string, string | undefined>();
      for (const [index, raw] of items.entries()) {
        const checked = await check(raw, units);
        if (!checked.ok) {
          if (!isBatch) return c.json({ error: checked.error }, checked.status);
          rejected.push({ index, error: checked.error });
          continue;
        }
        const ack = await deps.prices.publish(checked.price, { alerts });
        accepted++;
        if (ack.duplicate) duplicates++;
      }
      return c.json({ accepted, duplicates, rejected }, 202);
    },
  );
  return app;
}
