/** The feeds file: which feeds ingest runs, validated with zod at start. */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import {
  DurationSchema,
  HolidayTableSchema,
  InstrumentIdSchema,
  IsoTimestampSchema,
  MARKET_HOLIDAYS,
  SourceSchema,
  issuesToDetails,
  mergeHolidayTables,
} from "@rea/contracts";
import type { HolidayTable } from "@rea/contracts";
import { z } from "zod";
import { commonFeedFields } from "./feed-fields.js";
import { PollFeedSchema } from "./poll-config.js";

export const ReplayFeedSchema = z
  .strictObject({
    ...commonFeedFields,
    type: z.literal("replay"),
    /** JSONL file of price messages (one per line), or CSV with a header row, in the order to publish */
    file: z.string().min(1),
    /** pause between two prices; 0 publishes as fast as the server acknowledges */
    intervalMs: z.int().min(0).max(3_600_000).default(0),
    /** play the gaps between observation times this many times faster than they happened */
    speed: z.number().positive().max(1e12).optional(),
    /** the longest pause `speed` may produce */
    maxPauseMs: z.int().min(0).max(3_600_000).default(60_000),
  })
  .refine((f) => f.speed === undefined || f.intervalMs === 0, {
    path: ["speed"],
    message: "give either speed or intervalMs, not both",
  });
export type ReplayFeed = z.infer<typeof ReplayFeedSchema>;

export const SimulatedInstrumentSchema = z.strictObject({
  instrument: InstrumentIdSchema,
  start: z.number().positive().max(1e12),
  /** standard deviation of one step's move, in % */
  volatilityPct: z.number().min(0).max(50).default(0.5),
  /** chance of a jump at each step, 0-1 */
  jumpProbability: z.number().min(0).max(1).default(0),
  /** size of a jump, in % up or down */
  jumpPct: z.number().min(0).max(90).default(5),
  decimals: z.int().min(0).max(8).default(2),
});
export type SimulatedInstrument = z.infer<typeof SimulatedInstrumentSchema>;

export const SimulateFeedSchema = z
  .strictObject({
    ...commonFeedFields,
    type: z.literal("simulate"),
    /** same seed, same series */
    seed: z
      .int()
      .min(0)
      .max(2 ** 32 - 1),
    instruments: z.array(SimulatedInstrumentSchema).min(1).max(10_000),
    /** wall-clock pause between two ticks; 0 runs as fast as the server acknowledges */
    intervalMs: z.int().min(0).max(3_600_000).default(1_000),
    /** observation time of the first tick; ticks are stamped with the wall clock when absent */
    from: IsoTimestampSchema.optional(),
    /** observation time between two ticks, with `from` */
    step: DurationSchema.default("1m"),
    /** ticks to produce (each tick prices every instrument); endless when absent */
    count: z.int().min(1).max(100_000_000).optional(),
    source: SourceSchema.default("simulated"),
  })
  .refine((f) => f.count !== undefined || f.intervalMs > 0, {
    path: ["count"],
    message: "an endless simulation (no count) needs intervalMs > 0",
  });
export type SimulateFeed = z.infer<typeof SimulateFeedSchema>;

export const FeedSchema = z.discriminatedUnion("type", [ReplayFeedSchema, PollFeedSchema, SimulateFeedSchema], {
  error: 'type is "replay", "poll" or "simulate"',
});
export type Feed = z.infer<typeof FeedSchema>;

export const FeedsFileSchema = z
  .strictObject({
    feeds: z.array(FeedSchema).max(100),
    /** corrections to the built-in exchange holidays: a year given here replaces that market's year */
    holidays: HolidayTableSchema.optional(),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.feeds.forEach((f, i) => {
      if (seen.has(f.name))
        ctx.addIssue({ code: "custom", path: ["feeds", i, "name"], message: "duplicate feed name" });
      seen.add(f.name);
    });
  });

export interface FeedsFile {
  feeds: Feed[];
  /** the built-in holiday table with the file's corrections */
  holidays: HolidayTable;
}

/** Reads and validates the feeds file; replay file paths come back absolute. */
export async function loadFeedsFile(path: string): Promise<FeedsFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, "utf8"));
  } catch (e) {
    throw new Error(`FEEDS_FILE ${path}: ${(e as Error).message}`);
  }
  const parsed = FeedsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = issuesToDetails(parsed.error.issues).map((d) => `${d.path}: ${d.message}`);
    throw new Error(`FEEDS_FILE ${path} is invalid: ${lines.join("; ")}`);
  }
  const base = dirname(path);
  const feeds = parsed.data.feeds.map((f) =>
    f.type === "replay" ? { ...f, file: isAbsolute(f.file) ? f.file : resolve(base, f.file) } : f,
  );
  return { feeds, holidays: mergeHolidayTables(MARKET_HOLIDAYS, parsed.data.holidays) };
}

/** The feeds of a feeds file. */
export async function loadFeeds(path: string): Promise<Feed[]> {
  return (await loadFeedsFile(path)).feeds;
}
