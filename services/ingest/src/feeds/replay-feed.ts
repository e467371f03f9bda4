/** Replays a JSONL file of prices through the gate, paced, with progress in the log. */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Logger } from "pino";
import type { ReplayFeed } from "../feeds-config.js";
import type { PriceGate } from "../price-gate.js";

export interface ReplayProgress {
  lines: number;
  published: number;
  duplicates: number;
  rejected: number;
  done: boolean;
}

export async function runReplay(
  feed: ReplayFeed,
  gate: PriceGate,
  logger: Logger,
  signal: AbortSignal,
  progress: ReplayProgress,
): Promise<void> {
  const rl = createInterface({ input: createReadStream(feed.file, "utf8"), crlfDelay: Infinity });
  const log = logger.child({ feed: feed.name });
  log.info({ file: feed.file }, "replay started");
  for await (const line of rl) {
    if (signal.aborted) break;
    const text = line.trim();
    if (text === "" || text.startsWith("#")) continue;
    progress.lines++;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      raw = text;
    }
    const outcome = await gate.offer(feed.name, raw, feed.horizonDays);
    if (outcome === "published") progress.published++;
    else if (outcome === "duplicate") progress.duplicates++;
    else progress.rejected++;
    if (progress.lines % 50 === 0) log.info({ ...progress }, "replay progress");
    if (feed.intervalMs > 0) await sleep(feed.intervalMs, signal);
  }
  rl.close();
  progress.done = true;
  log.info({ ...progress }, "replay finished");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        resolve();
      },
      { once: true },
    );
  });
}
