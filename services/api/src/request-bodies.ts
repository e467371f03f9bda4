/** Small helpers for route definitions: JSON bodies and responses, and routes that take no body. */
import { AppError, ErrorBodySchema, issuesToDetails } from "@rea/contracts";
import type { MiddlewareHandler } from "hono";
import { z } from "zod";

/** A required JSON request body validated by `schema`. */
export const jsonBody = <S extends z.ZodType>(schema: S) => ({
  content: { "application/json": { schema } },
  required: true,
});

/** A JSON response described by `schema`. */
export const jsonResponse = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** Failures every route of a kind can answer, in the error shape. */
const COMMON_ERRORS = {
  400:
    "malformed: a field, path or query parameter that fails its schema (named in `details`), " +
    "or a body that is not JSON or not sent as `application/json`",
  401: "no bearer token, or one that is not valid here",
  403: "a user's API key: this route needs the admin token",
  413: "the body is larger than the api takes",
  429: "too many requests with this key: try again after `Retry-After` seconds",
} as const;
type CommonErrorStatus = keyof typeof COMMON_ERRORS;
type ErrorStatus = CommonErrorStatus | 404 | 409 | 422;

/** A failure response in the error shape. */
const errorResponseDoc = (description: string) => jsonResponse(ErrorBodySchema, description);

/**
 * The failures a route can answer, in the error shape: a common status by itself,
 * or any status with what it means on this route.
 *
 * @example responses: { 200: jsonResponse(RuleViewSchema, "the rule"), ...errorResponses(400, 401, [404, "no such rule of yours"], 429) }
 */
export function errorResponses<C extends CommonErrorStatus = never, S extends ErrorStatus = never>(
  ...statuses: Array<C | readonly [S, string]>
): Record<C | S, ReturnType<typeof errorResponseDoc>> {
  return Object.fromEntries(
    statuses.map((s) =>
      typeof s === "number" ? [s, errorResponseDoc(COMMON_ERRORS[s])] : [s[0], errorResponseDoc(s[1])],
    ),
  ) as Record<C | S, ReturnType<typeof errorResponseDoc>>;
}

const Empty = z.strictObject({});

/** For routes that take no body: nothing or `{}`; any field is rejected with its name, as elsewhere. */
export const noBody: MiddlewareHandler = async (c, next) => {
  const text = await c.req.text();
  if (text.trim() !== "") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppError("MALFORMED_JSON", "the request body is not valid JSON");
    }
    const result = Empty.safeParse(parsed);
    if (!result.success) {
      const details = issuesToDetails(result.error.issues);
      throw new AppError("VALIDATION", `this route takes no body: ${details[0]?.message ?? "send nothing"}`, {
        details,
      });
    }
  }
  await next();
};
