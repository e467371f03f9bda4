export { AlertSchema, DeliveryRecordSchema, DeliveryStatusSchema, deliveryKey } from "./alert.js";
export type { Alert, DeliveryRecord, DeliveryStatus } from "./alert.js";
export { ALERT_ACTIONS, alertActionButtons, alertActionData, parseAlertActionData } from "./alert-actions.js";
export type { AlertAction, AlertActionButton } from "./alert-actions.js";
export {
  AlertDeliverySchema,
  AlertListSchema,
  AlertViewSchema,
  AlertsQuerySchema,
  ApiKeyIssuedSchema,
  ConsumerLagSchema,
  DeliveryFailuresSchema,
  FeedFreshnessSchema,
  MAX_ALERTS_PAGE,
  OpsStatusSchema,
  RulePreviewFiringSchema,
  RulePreviewRequestSchema,
  RulePreviewSchema,
  ServiceInstanceSchema,
  TelegramLinkCodeSchema,
} from "./api-bodies.js";
export type {
  AlertDelivery,
  AlertList,
  AlertView,
  AlertsQuery,
  ApiKeyIssued,
  ConsumerLag,
  DeliveryFailures,
  FeedFreshness,
  OpsStatus,
  RulePreview,
  RulePreviewFiring,
  RulePreviewRequest,
  ServiceInstance,
  TelegramLinkCode,
} from "./api-bodies.js";
export {
  ChannelListSchema,
  EmailChannelPendingSchema,
  InstrumentListSchema,
  PriceHistorySchema,
  PricesAcceptedSchema,
  PublicUserSchema,
  RuleListSchema,
  RuleStateSchema,
  RuleViewSchema,
  StoredPriceSchema,
  UserCreatedSchema,
} from "./api-responses.js";
export type { RuleState } from "./api-responses.js";
export { channelMutedUntil } from "./channel-mute.js";
export { DeadLetterSchema } from "./deadletter.js";
export type { DeadLetter } from "./deadletter.js";
export { DurationSchema, durationMs } from "./duration.js";
export type { Duration } from "./duration.js";
export {
  DigestRecordSchema,
  DigestStateSchema,
  HeldAlertSchema,
  HeldEntrySchema,
  MAX_DIGEST_ALERTS,
  digestKey,
  heldAlertKey,
  heldPrefix,
} from "./held.js";
export type { DigestRecord, DigestState, HeldAlert, HeldEntry } from "./held.js";
export { ERROR_CODES, ErrorBodySchema, ErrorDetailSchema, issuesToDetails } from "./http-error.js";
export type { ErrorBody, ErrorCode, ErrorDetail } from "./http-error.js";
export {
  INSTRUMENT_CATALOGUE,
  INSTRUMENT_ID_PATTERN,
  InstrumentIdSchema,
  CreateInstrumentSchema,
  InstrumentKindSchema,
  InstrumentSchema,
} from "./instruments.js";
export type { Instrument, InstrumentInput, InstrumentKind } from "./instruments.js";
export {
  DEFAULT_BACKFILL_HORIZON_DAYS,
  IsoTimestampSchema,
  MAX_FUTURE_SKEW_MS,
  PriceMessageSchema,
  SourceSchema,
  checkPrice,
  priceMsgId,
} from "./price.js";
export type { PriceCheckContext, PriceIssue, PriceMessage } from "./price.js";
export {
  ChangeConditionSchema,
  ChannelTypeSchema,
  ConditionSchema,
  CrossConditionSchema,
  LevelConditionSchema,
  RULE_ID_PATTERN,
  RearmSchema,
  RuleBodySchema,
  RuleIdSchema,
  RulePatchSchema,
  RuleSchema,
  StaleConditionSchema,
  WindowSchema,
} from "./rule.js";
export type {
  ChannelType,
  Condition,
  ConditionType,
  Rearm,
  Rule,
  RuleBody,
  RuleBodyInput,
  RulePatch,
  Window,
} from "./rule.js";
export { MarketCalendarIdSchema, calendarForInstrument, marketCalendar } from "./market-calendar.js";
export type { MarketCalendar, MarketCalendarId } from "./market-calendar.js";
export {
  HolidayTableSchema,
  HolidayYearSchema,
  MARKET_HOLIDAYS,
  MarketDateSchema,
  expandDates,
  mergeHolidayTables,
} from "./market-holidays.js";
export type { HolidayTable, HolidayTableInput, HolidayYear } from "./market-holidays.js";
export {
  BUCKETS,
  CONSUMERS,
  HEADERS,
  RULE_STATE_SUBJECT,
  RULES_APPLIED_SUBJECT,
  STREAMS,
  subjects,
} from "./subjects.js";
export { TimezoneSchema } from "./timezone.js";
export { MASS_MEASURES, UnitSchema, fxPairFor, parseUnit, unitsCompatible } from "./units.js";
export type { MassMeasure, ParsedUnit, Unit, UnitMeasureKind } from "./units.js";
export {
  ApiKeyRecordSchema,
  ChannelSchema,
  ChannelStatusSchema,
  CreateUserSchema,
  EmailSchema,
  QuietHoursSchema,
  USER_ID_PATTERN,
  UpdateMeSchema,
  UserSchema,
  VerificationSchema,
} from "./user.js";
export type {
  ApiKeyRecord,
  Channel,
  ChannelStatus,
  CreateUser,
  PublicUser,
  QuietHours,
  User,
  Verification,
} from "./user.js";
export { AppError, isAppError } from "./app-error.js";

export const PRODUCT_VERSION = "0.1.0";
