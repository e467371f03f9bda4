/** Users, their channels and the HTTP bodies that create them. */
import { z } from "zod";
import { ChannelTypeSchema } from "./rule.js";
import { IsoTimestampSchema } from "./price.js";
import { TimezoneSchema } from "./timezone.js";

const CLOCK = /^([01][0-9]|2[0-3]):[0-5][0-9]$/;
export const QuietHoursSchema = z.strictObject({
  start: z.string().regex(CLOCK, 'a time of day as "HH:MM"'),
  end: z.string().regex(CLOCK, 'a time of day as "HH:MM"'),
});
export type QuietHours = z.infer<typeof QuietHoursSchema>;

export const EmailSchema = z.email("a valid email address").max(254);

export const CreateUserSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  email: EmailSchema.optional(),
  timezone: TimezoneSchema.default("Asia/Shanghai"),
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateMeSchema = z.strictObject({
  timezone: TimezoneSchema.optional(),
  quietHours: QuietHoursSchema.nullable().optional(),
});

export const USER_ID_PATTERN = /^u_[A-Za-z0-9]{8,32}$/;

/** A user as stored (key = user id). The API key is kept only as a SHA-256 hash. */
export const UserSchema = z.strictObject({
  id: z.string().regex(USER_ID_PATTERN),
  name: z.string().min(1).max(100),
  email: EmailSchema.optional(),
  timezone: z.string(),
  quietHours: QuietHoursSchema.optional(),
  apiKeyHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: IsoTimestampSchema,
});
export type User = z.infer<typeof UserSchema>;
export type PublicUser = Omit<User, "apiKeyHash">;

export const ChannelStatusSchema = z.enum(["pending", "active", "disabled"]);
export type ChannelStatus = z.infer<typeof ChannelStatusSchema>;

/** A delivery channel of a user (key = `<userId>.<channelId>`). */
export const ChannelSchema = z.strictObject({
  id: z.string().regex(/^c_[A-Za-z0-9]{8,32}$/),
  userId: z.string().regex(USER_ID_PATTERN),
  type: ChannelTypeSchema,
  /** email address, or Telegram chat id */
  address: z.string().min(1).max(254),
  status: ChannelStatusSchema,
  disabledReason: z.string().max(1000).optional(),
  createdAt: IsoTimestampSchema,
  verifiedAt: IsoTimestampSchema.optional(),
  /** alerts to this channel are skipped until this time (`/mute 2h`); absent or past: not muted */
  mutedUntil: IsoTimestampSchema.optional(),
});
export type Channel = z.infer<typeof ChannelSchema>;

/** A pending email verification or Telegram link (key = `<kind>.<lookup>`): the code is kept only as a hash. */
export const VerificationSchema = z.strictObject({
  kind: z.enum(["email", "telegram"]),
  userId: z.string().regex(USER_ID_PATTERN),
  channelId: z.string().optional(),
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  expiresAt: IsoTimestampSchema,
  attempts: z.int().min(0),
  sentAt: IsoTimestampSchema,
});
export type Verification = z.infer<typeof VerificationSchema>;

/** An API key's record (key = SHA-256 of the API key): the key itself is never stored. */
export const ApiKeyRecordSchema = z.strictObject({
  userId: z.string().regex(USER_ID_PATTERN),
  createdAt: IsoTimestampSchema,
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecordSchema>;
