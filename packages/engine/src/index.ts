export { RuleEngine } from "./rule-engine.js";
export { ReferenceEvaluator } from "./reference-evaluator.js";
export { previewRule } from "./preview.js";
export type { PreviewOptions } from "./preview.js";
export { compareDecisions } from "./decisions.js";
export { ENGINE_ERROR_CODES, EngineInputError } from "./errors.js";
export type { EngineErrorCode } from "./errors.js";
export { formatAmount, formatNumber, formatPct } from "./number-format.js";
export { unitConversion } from "./unit-conversion.js";
export type { UnitConversion } from "./unit-conversion.js";
export type {
  Decision,
  EngineOptions,
  EngineSnapshot,
  FinishReason,
  InstrumentSnapshot,
  LastPriceSnapshot,
  MarketHours,
  PriceTick,
  RuleMemory,
  RuleSnapshot,
  RuleStateView,
  RuleStatus,
  WaitingFor,
} from "./types.js";
