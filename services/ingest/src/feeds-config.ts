/** The feeds file: which feeds ingest runs, validated with zod at start. */
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";
import { issuesToDetails } from "@rea/contracts";
import { z } from "zod";

const name = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, "feed names are 1-40 characters: a-z, 0-9, _ and -");

export const ReplayFeedSchema = z.strictObject({
  name,
  type: z.literal("replay"),
  /** JSONL file of price messages (one per line), in the order to publish */
  file: z.string().min(1),
  /** pause between two prices; 0 publishes as fast as the server acknowledges */
  intervalMs: z.int().min(0).max(3_600_000).default(0),
  /** accept timestamps this many days old (history replays) */
  horizonDays: z.int().min(1).max(36_500).default(400),
  note: z.string().max(500).optional(),
});
export type ReplayFeed = z.infer<typeof ReplayFeedSchema>;

export const FeedSchema = z.discriminatedUnion("type", [ReplayFeedSchema]);
export type Feed = z.infer<typeof FeedSchema>;

export const FeedsFileSchema = z.strictObject({ feeds: z.array(FeedSchema).max(100) });

/** Reads and validates the feeds file; file paths come back absolute. */
export async function loadFeeds(path: string): Promise<Feed[]> {
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
  return parsed.data.feeds.map((f) => ({ ...f, file: isAbsolute(f.file) ? f.file : resolve(base, f.file) }));
}
