/** Fields every feed of the feeds file has, whatever its type. */
import { DurationSchema, InstrumentIdSchema, MarketCalendarIdSchema } from "@rea/contracts";
import { z } from "zod";

export const FeedNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "feed names are 1-40 characters: a-z, 0-9, _ and -");

export const commonFeedFields = {
  name: FeedNameSchema,
  /** expected time between two observations; without it the feed is never reported late */
  cadence: DurationSchema.optional(),
  /** extra time past the cadence before the feed counts as late; half the cadence when absent */
  grace: DurationSchema.optional(),
  /** when the feed's market is open: it is late only while open */
  calendar: MarketCalendarIdSchema.default("always"),
  /** per-instrument limits of the outlier guard (% move against the last accepted price) */
  maxMovePct: z.record(InstrumentIdSchema, z.number().positive().max(100_000)).default({}),
  /** accept timestamps this many days old (history replays) */
  horizonDays: z.int().min(1).max(36_500).default(400),
  note: z.string().max(500).optional(),
};
