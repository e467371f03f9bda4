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

const CODE_OF_STATUS = new Map<number, ErrorCode>(
  (Object.entries(ERROR_CODES) as Array<[ErrorCode, number]>).reverse().map(([code, status]) => [status, code]),
);

/** The HTTPExceptions hono and its validators throw, in our words. */
const HTTP_EXCEPTIONS = new Map<number, { code: ErrorCode; message: string }>([
  [400, { code: "MALFORMED_JSON", message: "the request body is not valid JSON" }],
  [413, { code: "PAYLOAD_TOO_LARGE", message: "the request body is too large" }],
  // a JSON body route given another media type, or a body without one
  [415, { code: "MALFORMED_JSON", message: 'send the body as JSON with "Content-Type: application/json"' }],
]);

/**
 * An HTTPException as one of our codes: a status without a code of its own is a
 * 400 (client errors) or a 500 (the rest), so no other code ever leaves.
 */
function fromHttpException(err: HTTPException): { code: ErrorCode; message: string } {
  const known = HTTP_EXCEPTIONS.get(err.status);
  if (known !== undefined) return known;
  const code = CODE_OF_STATUS.get(err.status) ?? (err.status < 500 ? "VALIDATION" : "INTERNAL");
  return { code, message: code === "INTERNAL" ? "internal error" : err.message || "request failed" };
}

export function onError(logger: Logger) {
  return (err: Error, c: Context): Response => {
    if (err instanceof AppError) {
      if (err.code === "INTERNAL") logger.error({ err }, "internal error");
      if (err.retryAfterMs !== undefined) c.header("Retry-After", String(Math.ceil(err.retryAfterMs / 1000)));
      return errorResponse(c, err.code, err.message, err.details);
    }
    if (err instanceof HTTPException) {
      const { code, message } = fromHttpException(err);
      if (code === "INTERNAL") logger.error({ err }, "internal error");
      return errorResponse(c, code, message);
    }
    logger.error({ err }, "unhandled error");
    return errorResponse(c, "INTERNAL", "internal error");
  };
}
