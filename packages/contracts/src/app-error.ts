/**
 * The one error type of the product. `code` says what went wrong, `retryable`
 * says whether trying again later can succeed: at the NATS edge retryable means
 * a delayed redelivery and terminal means a dead letter; at the HTTP edge the
 * code picks the status.
 */
import type { ErrorCode, ErrorDetail } from "./http-error.js";

export class AppError extends Error {
  override readonly name = "AppError";
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: ErrorDetail[] | undefined;
  /** how long to wait before trying again (HTTP Retry-After, NATS redelivery delay) */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; details?: ErrorDetail[]; cause?: unknown; retryAfterMs?: number } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
