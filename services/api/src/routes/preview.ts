/**
 * POST /v1/rules/preview: runs an unsaved rule with the real engine over the
 * prices stored in PRICES and answers when it would have fired, each firing
 * with the explanation its alert would carry. Nothing is stored or sent.
 */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { draftRule } from "@rea/accounts";
import { AppError, RulePreviewRequestSchema, RulePreviewSchema } from "@rea/contracts";
import type { RulePreview, RulePreviewFiring } from "@rea/contracts";
import { EngineInputError, previewRule } from "@rea/engine";
import type { AppEnv } from "../auth.js";
import { requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { previewInput } from "../preview-history.js";
import { errorResponses, jsonBody, jsonResponse } from "../request-bodies.js";

export function previewRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/rules/preview",
      summary: "When a rule would have fired on stored history, with the explanation of each firing",
      description:
        "The body of POST /v1/rules plus optional `from` and `to`. Firings from `from` (default: the oldest stored " +
        "price) to `to` (default: now) are reported, oldest first; before `from` the rule sees only the prices its " +
        "condition looks back on (the previous price, the change window), as if it had been created at `from`.",
      middleware: requireUser(deps),
      request: { body: jsonBody(RulePreviewRequestSchema) },
      responses: {
        200: jsonResponse(RulePreviewSchema, "the firings, oldest first"),
        ...errorResponses(
          400,
          401,
          413,
          [
            422,
            "an unknown instrument, a unit that cannot be converted, or more stored prices in range than a preview runs over",
          ],
          429,
        ),
      },
    }),
    async (c) => {
      const { from, to, ...body } = c.req.valid("json");
      const rule = await draftRule(deps, c.get("user").id, body);
      const units = new Map(
        [...(await deps.stores.instruments.entries()).values()].map((v) => [v.value.id, v.value.unit]),
      );
      const quoteUnit = units.get(rule.instrument) ?? rule.unit;
      const now = deps.now();
      const toMs = to === undefined ? now : Math.min(Date.parse(to), now);
      const fromMs = from === undefined ? undefined : Date.parse(from);
      const input = await previewInput(deps.prices, rule, {
        fromMs,
        toMs,
        quoteUnit,
        knows: (id) => units.has(id),
        max: deps.limits.maxPreviewPrices,
      });
      let alerts;
      try {
        alerts = previewRule(rule, input.ticks, { unitOf: (id) => units.get(id), untilMs: toMs });
      } catch (e) {
        if (e instanceof EngineInputError) throw new AppError("UNPROCESSABLE", e.message, { cause: e });
        throw e;
      }
      const firings: RulePreviewFiring[] = alerts
        .filter((a) => fromMs === undefined || Date.parse(a.firedAt) >= fromMs)
        .map((a) => ({
          firedAt: a.firedAt,
          title: a.title,
          text: a.text,
          price: a.price,
          ...(a.threshold === undefined ? {} : { threshold: a.threshold }),
          ...(a.reference === undefined ? {} : { reference: a.reference }),
          ...(a.change === undefined ? {} : { change: a.change }),
          ...(a.fx === undefined ? {} : { fx: a.fx }),
        }));
      const preview: RulePreview = {
        instrument: rule.instrument,
        unit: rule.unit,
        condition: rule.condition,
        from: input.fromTs,
        to: new Date(toMs).toISOString(),
        pricesEvaluated: input.evaluated,
        firings,
      };
      return c.json(preview, 200);
    },
  );
  return app;
}
