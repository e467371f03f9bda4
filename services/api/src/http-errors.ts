/**
 * The HTTP edge of errors: every failure leaves as the error shape of DESIGN 4.4,
 * with the status its code maps to. Stack traces never leave the process.
 */
import { AppError, ERROR_CODES, issuesToDetails } from "@rea/contracts";
import type { ErrorBody, ErrorCode, ErrorDetail } from "@rea/contracts";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import type { z } from "zod";

export function errorBody(code: string, message: string, details?: ErrorDetail[]): ErrorBody {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}

export function errorResponse(c: Context, code: ErrorCode, message: string, details?: ErrorDetail[]): Response {
  return c.json(errorBody(code, message, details), ERROR_CODES[code] as ContentfulStatusCode);
}

/** For zod-openapi's defaultHook: a body, query or path that fails its schema is a 400. */
export function validationHook(
  result: { success: true } | { success: false; error: z.ZodError; target?: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const prefix = result.target === "query" ? "query" : result.target === "param" ? "path" : "";
  const details = issuesToDetails(result.error.issues, prefix);
  const first = details[0];
  return errorResponse(
    c,
    "VALIDATION",
    first === undefined ? "invalid request" : `${first.path || "body"}: ${first.message}`,
    details,
  );
}

export function onError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof AppError) {
      if (err.code === "INTERNAL") logger.error({ err }, "internal error");
      if (err.retryAfterMs !== undefined) c.header("Retry-After", String(Math.ceil(err.retryAfterMs / 1000)));
      return errorResponse(c, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      if (err.status === 400) return errorResponse(c, "MALFORMED_JSON", "the request body is not valid JSON");
      if (err.status === 413) return errorResponse(c, "PAYLOAD_TOO_LARGE", "the request body is too large");
      if (err.status === 401) return errorResponse(c, "UNAUTHORIZED", err.message || "unauthorized");
      return c.json(errorBody("HTTP", err.message || "request failed"), err.status);
    }
    logger.error({ err }, "unhandled error");
    return errorResponse(c, "INTERNAL", "internal error");
  };
}
