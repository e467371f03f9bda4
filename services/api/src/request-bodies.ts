/** Small helpers for route definitions: JSON bodies and responses, and routes that take no body. */
import { AppError, issuesToDetails } from "@rea/contracts";
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

/** The error shape, for documenting failure responses. */
export const errorResponseDoc = (description: string) =>
  jsonResponse(
    z.object({
      error: z.object({
        code: z.string(),
        message: z.string(),
        details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      }),
    }),
    description,
  );

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
