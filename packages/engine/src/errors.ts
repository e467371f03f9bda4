/** Inputs the engine cannot evaluate: the caller dead-letters the price or rejects the rule. */

export const ENGINE_ERROR_CODES = {
  UNKNOWN_INSTRUMENT: "UNKNOWN_INSTRUMENT",
  UNIT_MISMATCH: "UNIT_MISMATCH",
  INCOMPATIBLE_UNIT: "INCOMPATIBLE_UNIT",
  INVALID_PRICE: "INVALID_PRICE",
  INVALID_RULE: "INVALID_RULE",
  INVALID_SNAPSHOT: "INVALID_SNAPSHOT",
} as const;
export type EngineErrorCode = keyof typeof ENGINE_ERROR_CODES;

export class EngineInputError extends Error {
  override readonly name = "EngineInputError";
  /** the same input will fail again */
  readonly retryable = false;
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
