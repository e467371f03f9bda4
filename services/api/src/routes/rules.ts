/** /v1/rules: a user's own rules only; someone else's id is a 404. */
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import { RuleBodySchema, RuleListSchema, RulePatchSchema, RuleViewSchema } from "@rea/contracts";
import type { Rule } from "@rea/contracts";
import { z } from "zod";
import type { AppEnv } from "../auth.js";
import { requireUser } from "../auth.js";
import type { ApiDeps } from "../deps.js";
import { validationHook } from "../http-errors.js";
import { errorResponses, jsonBody, jsonResponse } from "../request-bodies.js";
import { createRule, deleteRule, ownRule, patchRule, rulesOf } from "@rea/accounts";

const IdParam = z.object({ id: z.string().min(1).max(64) });
const NO_RULE = "no rule with this id among yours";

export function ruleRoutes(deps: ApiDeps): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const auth = requireUser(deps);
  /** Answers only once the evaluators apply the write, so the very next price sees it. */
  const settle = async (): Promise<void> => {
    const revision = await deps.stores.rules.lastRevision();
    if (!(await deps.ruleState.awaitApplied(revision))) {
      deps.logger.warn({ revision }, "evaluators did not confirm a rule change in time");
    }
  };
  const withState = async (rule: Rule) => ({
    ...rule,
    state: (await deps.ruleState.stateOf(rule.id)) ?? { status: rule.enabled ? "pending" : "disabled" },
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/v1/rules",
      summary: "Create a rule",
      middleware: auth,
      request: { body: jsonBody(RuleBodySchema) },
      responses: {
        201: jsonResponse(RuleViewSchema, "the rule with its id and state"),
        ...errorResponses(
          400,
          401,
          [409, "you hold the most rules allowed: delete one first"],
          413,
          [422, "an unknown instrument, or a unit that cannot be converted to the instrument's"],
          429,
        ),
      },
    }),
    async (c) => {
      const rule = await createRule(deps, c.get("user").id, c.req.valid("json"));
      await settle();
      return c.json(await withState(rule), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/rules",
      summary: "Your rules",
      middleware: auth,
      responses: { 200: jsonResponse(RuleListSchema, "your rules, oldest first"), ...errorResponses(401, 429) },
    }),
    async (c) => {
      const rules = (await rulesOf(deps, c.get("user").id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      return c.json({ rules: await Promise.all(rules.map(withState)) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/v1/rules/{id}",
      summary: "One of your rules",
      middleware: auth,
      request: { params: IdParam },
      responses: {
        200: jsonResponse(RuleViewSchema, "the rule"),
        ...errorResponses(400, 401, [404, NO_RULE], 429),
      },
    }),
    async (c) => c.json(await withState((await ownRule(deps, c.get("user").id, c.req.valid("param").id)).rule), 200),
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/v1/rules/{id}",
      summary: "Edit a rule (starts a new revision)",
      middleware: auth,
      request: {
        params: IdParam,
        body: jsonBody(RulePatchSchema),
      },
      responses: {
        200: jsonResponse(RuleViewSchema, "the edited rule"),
        ...errorResponses(
          400,
          401,
          [404, NO_RULE],
          [409, "the rule was changed at the same time: try again"],
          413,
          [422, "a unit that cannot be converted to the instrument's"],
          429,
        ),
      },
    }),
    async (c) => {
      const rule = await patchRule(deps, c.get("user").id, c.req.valid("param").id, c.req.valid("json"));
      await settle();
      return c.json(await withState(rule), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/v1/rules/{id}",
      summary: "Delete a rule",
      middleware: auth,
      request: { params: IdParam },
      responses: { 204: { description: "deleted" }, ...errorResponses(400, 401, [404, NO_RULE], 429) },
    }),
    async (c) => {
      await deleteRule(deps, c.get("user").id, c.req.valid("param").id);
      await settle();
      return c.body(null, 204);
    },
  );
  return app;
}
