/**
 * Replays a file of prices through the gate: JSONL (one price message per line)
 * or CSV (a header row naming instrument, price, unit, ts and source). Blank
 * lines and lines starting with `#` are skipped. Paced by `intervalMs`, or by
 * the gaps between observation times played `speed` times faster, or as fast
 * as the server acknowledges. Progress goes to a bar on a terminal, to the log otherwise.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import type { ReplayFeed } from "../feeds-config.js";
import type { PriceGate } from "../price-gate.js";
import type { ProgressBoard } from "./progress-bar.js";
import { sleep } from "./sleep.js";

export interface ReplayProgress {
  lines: number;
  published: number;
  duplicates: number;
  /** rejected or held as suspect */
  rejected: number;
  done: boolean;
}

export interface ReplayOptions {
  /** a terminal progress bar; log lines when absent */
  bar?: ProgressBoard;
}

const CSV_COLUMNS = ["instrument", "price", "unit", "ts", "source"] as const;

/** The pause before an observation, from the gap since the previous one played `speed` times faster. */
export function replayPause(
  prevTsMs: number | undefined,
  tsMs: number | undefined,
  speed: number,
  maxMs: number,
): number {
  if (prevTsMs === undefined || tsMs === undefined || !(tsMs > prevTsMs)) return 0;
  return Math.min((tsMs - prevTsMs) / speed, maxMs);
}

function records(file: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  return (async function* () {
    try {
      for await (const line of rl) {
        const text = line.trim();
        if (text !== "" && !text.startsWith("#")) yield text;
      }
    } finally {
      rl.close();
    }
  })();
}

/** A CSV record as the price message it stands for (numbers as numbers); the text itself when it does not fit. */
function csvRecord(header: readonly string[], text: string): unknown {
  const cells = text.split(",").map((c) => c.trim());
  if (cells.length !== header.length) return text;
  const out: Record<string, unknown> = {};
  header.forEach((col, i) => {
    const v = cells[i] ?? "";
    out[col] = col === "price" && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  });
  return out;
}

function parseJsonLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function tsOf(raw: unknown): number | undefined {
  const ts = (raw as { ts?: unknown } | null)?.ts;
  const ms = typeof ts === "string" ? Date.parse(ts) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

async function countRecords(file: string): Promise<number> {
  let n = 0;
  for await (const _ of records(file)) n++;
  return file.endsWith(".csv") ? Math.max(n - 1, 0) : n;
}

export async function runReplay(
  feed: ReplayFeed,
  gate: PriceGate,
  logger: Logger,
  signal: AbortSignal,
  progress: ReplayProgress,
  opts: ReplayOptions = {},
): Promise<void> {
  const log = logger.child({ feed: feed.name });
  const csv = feed.file.endsWith(".csv");
  const total = opts.bar === undefined ? undefined : await countRecords(feed.file);
  log.info({ file: feed.file, speed: feed.speed, intervalMs: feed.intervalMs }, "replay started");
  let header: string[] | undefined;
  let prevTs: number | undefined;
  for await (const text of records(feed.file)) {
    if (signal.aborted) break;
    if (csv && header === undefined) {
      header = text.split(",").map((c) => c.trim());
      const missing = CSV_COLUMNS.filter((c) => !header?.includes(c));
      if (missing.length > 0) throw new Error(`${feed.file}: the CSV header lacks ${missing.join(", ")}`);
      continue;
    }
    progress.lines++;
    const raw = header === undefined ? parseJsonLine(text) : csvRecord(header, text);
    if (feed.speed !== undefined) {
      const ts = tsOf(raw);
      const pause = replayPause(prevTs, ts, feed.speed, feed.maxPauseMs);
      prevTs = ts ?? prevTs;
      if (pause > 0) await sleep(pause, signal);
    }
    const outcome = await gate.offer(feed.name, raw, feed.horizonDays, feed.maxMovePct);
    if (outcome === "published") progress.published++;
    else if (outcome === "duplicate") progress.duplicates++;
    else progress.rejected++;
    if (opts.bar !== undefined) opts.bar.update(feed.name, progress.lines, total ?? progress.lines);
    else if (progress.lines % 50 === 0) log.info({ ...progress }, "replay progress");
    if (feed.intervalMs > 0) await sleep(feed.intervalMs, signal);
  }
  progress.done = true;
  opts.bar?.finish(feed.name, progress.lines, total ?? progress.lines);
  log.info({ ...progress }, "replay finished");
}
