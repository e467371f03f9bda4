/** Rules as users write them (DESIGN 4.5) and as they are stored. */
import { z } from "zod";
import { DurationSchema } from "./duration.js";
import { InstrumentIdSchema } from "./instruments.js";
import { IsoTimestampSchema } from "./price.js";
import { UnitSchema } from "./units.js";

const positive = (what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .refine((v) => Number.isFinite(v) && v > 0, `${what} must be a finite number greater than 0`);

export const LevelConditionSchema = z.strictObject({
  type: z.enum(["above", "below"]),
  value: positive("value"),
});
export const CrossConditionSchema = z.strictObject({
  type: z.enum(["cross_up", "cross_down"]),
  value: positive("value"),
});
export const WindowSchema = z.union([DurationSchema, z.strictObject({ obs: z.int().min(1).max(10_000) })]);
export type Window = z.infer<typeof WindowSchema>;

export const ChangeConditionSchema = z
  .strictObject({
    type: z.literal("change"),
    direction: z.enum(["up", "down", "any"]),
    pct: positive("pct").optional(),
    abs: positive("abs").optional(),
    window: WindowSchema,
  })
  .refine((c) => (c.pct === undefined) !== (c.abs === undefined), {
    message: "a change condition has exactly one of pct or abs",
    path: ["pct"],
  });
export const StaleConditionSchema = z.strictObject({
  type: z.literal("stale"),
  after: DurationSchema,
});

export const ConditionSchema = z.discriminatedUnion("type", [
  LevelConditionSchema,
  CrossConditionSchema,
  ChangeConditionSchema,
  StaleConditionSchema,
]);
export type Condition = z.infer<typeof ConditionSchema>;
export type ConditionType = Condition["type"];

export const RearmSchema = z.union([
  z.strictObject({ pct: positive("rearm.pct") }),
  z.strictObject({ abs: positive("rearm.abs") }),
]);
export type Rearm = z.infer<typeof RearmSchema>;

export const ChannelTypeSchema = z.enum(["email", "telegram"]);
export type ChannelType = z.infer<typeof ChannelTypeSchema>;

export const RuleBodySchema = z.strictObject({
  instrument: InstrumentIdSchema,
  condition: ConditionSchema,
  /** unit of the threshold; defaults to the instrument's own unit */
  unit: UnitSchema.optional(),
  rearm: RearmSchema.optional(),
  cooldown: DurationSchema.optional(),
  once: z.boolean().default(false),
  expiresAt: IsoTimestampSchema.nullable().default(null),
  channels: z.array(ChannelTypeSchema).min(1).max(2).default(["email", "telegram"]),
  note: z.string().max(500).optional(),
});
export type RuleBody = z.infer<typeof RuleBodySchema>;
export type RuleBodyInput = z.input<typeof RuleBodySchema>;

export const RulePatchSchema = z.strictObject({
  condition: ConditionSchema.optional(),
  unit: UnitSchema.optional(),
  rearm: RearmSchema.nullable().optional(),
  cooldown: DurationSchema.nullable().optional(),
  once: z.boolean().optional(),
  expiresAt: IsoTimestampSchema.nullable().optional(),
  channels: z.array(ChannelTypeSchema).min(1).max(2).optional(),
  note: z.string().max(500).nullable().optional(),
  enabled: z.boolean().optional(),
});
export type RulePatch = z.infer<typeof RulePatchSchema>;

export const RULE_ID_PATTERN = /^r_[A-Za-z0-9]{8,32}$/;
export const RuleIdSchema = z.string().regex(RULE_ID_PATTERN, "a rule id looks like r_8Zk2...");

/** A rule as stored in the rules bucket (key = rule id). */
export const RuleSchema = z.strictObject({
  id: RuleIdSchema,
  userId: z.string().min(1).max(64),
  /** bumped on every edit; alert ids include it */
  revision: z.int().min(1),
  instrument: InstrumentIdSchema,
  condition: ConditionSchema,
  /** unit of the threshold (the instrument's unit unless the user chose another) */
  unit: UnitSchema,
  rearm: RearmSchema.optional(),
  cooldown: DurationSchema.optional(),
  once: z.boolean(),
  expiresAt: IsoTimestampSchema.nullable(),
  channels: z.array(ChannelTypeSchema).min(1),
  note: z.string().max(500).optional(),
  enabled: z.boolean(),
  createdAt: IsoTimestampSchema,
  updatedAt: IsoTimestampSchema,
});
export type Rule = z.infer<typeof RuleSchema>;
