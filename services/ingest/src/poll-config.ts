/** The `poll` feed's part of the feeds file: endpoint, schedule and response format. */
import { DurationSchema, InstrumentIdSchema, SourceSchema, TimezoneSchema } from "@rea/contracts";
import { validateDetailed } from "node-cron";
import { z } from "zod";
import { commonFeedFields } from "./feed-fields.js";

const PathSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/,
    "a path is keys and indexes separated by dots, e.g. data.quotes.0.last",
  );

/** a value read from each item at a path, or one constant for every item */
const FieldSchema = z.union([PathSchema, z.strictObject({ const: z.union([z.string().min(1), z.number()]) })], {
  error: 'a path like "data.last" or a constant like {"const": "PRND_OXIDE"}',
});
export type FieldSpec = z.infer<typeof FieldSchema>;

export const TsFormatSchema = z.enum(["iso", "epoch_s", "epoch_ms", "local"], {
  error: 'a ts format is "iso", "epoch_s", "epoch_ms" or "local" (wall time in the feed\'s timezone)',
});

const TsFieldSchema = z.union(
  [
    PathSchema,
    z.strictObject({ path: PathSchema, format: TsFormatSchema.default("iso") }),
    z.strictObject({ const: z.string().min(1) }),
    z.strictObject({ at: z.literal("fetch") }),
  ],
  { error: 'a path, {"path", "format"}, {"const": "<ISO time>"} or {"at": "fetch"}' },
);
export type TsSpec = z.infer<typeof TsFieldSchema>;

export const JsonFormatSchema = z.strictObject({
  type: z.literal("json"),
  /** path to an array of items or to a single item; the whole body when absent */
  items: PathSchema.optional(),
  instrument: FieldSchema,
  price: FieldSchema,
  ts: TsFieldSchema,
  /** the catalogue's unit of the instrument when absent */
  unit: FieldSchema.optional(),
});
export type JsonFormat = z.infer<typeof JsonFormatSchema>;

/** Sina finance quote text: `var hq_str_sh600111="...";` per symbol (A-shares and Hong Kong) */
export const SinaFormatSchema = z.strictObject({ type: z.literal("sina") });

const CronSchema = z.string().superRefine((expr, ctx) => {
  const v = validateDetailed(expr);
  if (!v.valid) {
    const why = v.errors.map((e) => e.message).join("; ");
    ctx.addIssue({ code: "custom", message: `not a cron expression: ${why || expr}` });
  }
});

export const PollFeedSchema = z.strictObject({
  ...commonFeedFields,
  type: z.literal("poll"),
  cadence: DurationSchema,
  url: z.url({ protocol: /^https?$/, error: "an http(s) URL" }),
  format: z.discriminatedUnion("type", [JsonFormatSchema, SinaFormatSchema], {
    error: 'format.type is "json" or "sina"',
  }),
  /** node-cron expression (5 fields, or 6 with seconds first), in `timezone` */
  schedule: CronSchema,
  timezone: TimezoneSchema.default("Asia/Shanghai"),
  timeoutMs: z.int().min(100).max(120_000).default(10_000),
  headers: z.record(z.string().min(1), z.string()).default({}),
  /** the `source` of every price of this feed; the feed's name when absent */
  source: SourceSchema.optional(),
  /** provider code → instrument id, e.g. {"600111.SH": "SH600111"} */
  instruments: z.record(z.string().min(1), InstrumentIdSchema).default({}),
});
export type PollFeed = z.infer<typeof PollFeedSchema>;
