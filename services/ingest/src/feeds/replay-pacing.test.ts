import { describe, expect, it } from "vitest";
import { ProgressBoard, renderBar } from "./progress-bar.js";
import { replayPause } from "./replay-feed.js";

const day = (d: string) => Date.parse(`${d}T00:00:00Z`);

describe("replay pacing", () => {
  it("plays the gap between two observations speed times faster, within the longest pause", () => {
    // one market day per second
    expect(replayPause(day("2025-02-27"), day("2025-02-28"), 86_400, 60_000)).toBe(1000);
    expect(replayPause(day("2025-02-28"), day("2025-03-03"), 86_400, 60_000)).toBe(3000);
    expect(replayPause(day("2025-03-11"), day("2025-12-31"), 86_400, 60_000)).toBe(60_000);
  });

  it("does not pause for the first line, a line without a time or one out of order", () => {
    expect(replayPause(undefined, day("2025-02-28"), 10, 60_000)).toBe(0);
    expect(replayPause(day("2025-02-28"), undefined, 10, 60_000)).toBe(0);
    expect(replayPause(day("2025-02-28"), day("2025-02-27"), 10, 60_000)).toBe(0);
  });
});

describe("replay progress bar", () => {
  it("draws each feed's share done", () => {
    expect(renderBar("demo", 83, 167)).toBe("demo [##########----------] 83/167 49%");
    expect(renderBar("demo", 167, 167)).toBe("demo [####################] 167/167 100%");
  });

  it("redraws one terminal line in place, at most every interval, and ends it when all feeds finish", () => {
    const out: string[] = [];
    let now = 0;
    const board = new ProgressBoard({ write: (s) => out.push(s) }, () => now, 100);
    board.update("demo", 1, 10);
    board.update("demo", 2, 10); // too soon: not drawn
    now = 150;
    board.update("load", 5, 50);
    board.finish("demo", 10, 10);
    board.finish("load", 50, 50);
    expect(out).toEqual([
      "\r\x1b[2Kdemo [##------------------] 1/10 10%",
      "\r\x1b[2Kdemo [####----------------] 2/10 20%  load [##------------------] 5/50 10%",
      "\r\x1b[2Kdemo [####################] 10/10 100%  load [##------------------] 5/50 10%",
      "\r\x1b[2Kdemo [####################] 10/10 100%  load [####################] 50/50 100%",
      "\n",
    ]);
  });
});
