import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marketCalendar } from "@rea/contracts";
import { describe, expect, it } from "vitest";
import { loadFeedsFile } from "./feeds-config.js";

const dir = mkdtempSync(join(tmpdir(), "rea-feeds-"));
let n = 0;
function file(content: unknown): string {
  const path = join(dir, `feeds-${++n}.json`);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const poll = {
  name: "sina-a",
  type: "poll",
  url: "https://hq.sinajs.cn/list=sh600111,sz300748",
  format: { type: "sina" },
  headers: { Referer: "https://finance.sina.com.cn/" },
  schedule: "*/30 30-59 9 * * 1-5",
  timezone: "Asia/Shanghai",
  cadence: "1m",
  calendar: "cn",
  source: "sina",
};
const simulate = {
  name: "sim",
  type: "simulate",
  seed: 42,
  instruments: [{ instrument: "PRND_OXIDE", start: 444000, volatilityPct: 0.6, decimals: 0 }],
};

describe("feeds file", () => {
  it("loads one feed of each type with their defaults", async () => {
    const path = file({
      feeds: [
        { name: "demo", type: "replay", file: "demo.jsonl", speed: 86400, cadence: "1d", calendar: "daily" },
        poll,
        simulate,
      ],
    });
    const { feeds } = await loadFeedsFile(path);
    expect(feeds).toMatchObject([
      { name: "demo", file: join(dir, "demo.jsonl"), speed: 86400, intervalMs: 0, maxPauseMs: 60000, maxMovePct: {} },
      { name: "sina-a", timeoutMs: 10000, instruments: {}, horizonDays: 400, calendar: "cn" },
      {
        name: "sim",
        intervalMs: 1000,
        step: "1m",
        source: "simulated",
        calendar: "always",
        instruments: [{ jumpProbability: 0 }],
      },
    ]);
  });

  it("loads the shipped demo feeds", async () => {
    const { feeds } = await loadFeedsFile(join(import.meta.dirname, "../../../infra/feeds/demo.json"));
    expect(feeds.map((f) => f.type)).toContain("replay");
  });

  it("names the bad field of each feed type", async () => {
    const bad = async (feed: object) => loadFeedsFile(file({ feeds: [feed] })).catch((e: Error) => e.message);
    expect(await bad({ ...poll, schedule: "61 * * * *" })).toMatch(
      /feeds\.0\.schedule: not a cron expression: 61 is a invalid expression for minute/,
    );
    expect(await bad({ ...poll, timezone: "Asia/Beijing" })).toMatch(/feeds\.0\.timezone: an IANA timezone/);
    expect(await bad({ ...poll, calendar: "nyse" })).toMatch(
      /feeds\.0\.calendar: a calendar is "cn", "hk", "daily" or "always"/,
    );
    expect(await bad({ ...poll, cadence: undefined })).toMatch(/feeds\.0\.cadence/);
    expect(await bad({ ...poll, url: "ftp://example.com/q" })).toMatch(/feeds\.0\.url: an http\(s\) URL/);
    expect(await bad({ ...poll, format: { type: "xml" } })).toMatch(/feeds\.0\.format/);
    expect(await bad({ ...poll, format: { type: "json", price: "last", ts: "t" } })).toMatch(
      /feeds\.0\.format\.instrument/,
    );
    expect(await bad({ ...poll, maxMovePct: { SH600111: -5 } })).toMatch(/feeds\.0\.maxMovePct\.SH600111/);
    expect(await bad({ name: "r", type: "replay", file: "x.jsonl", speed: 10, intervalMs: 100 })).toMatch(
      /feeds\.0\.speed: give either speed or intervalMs, not both/,
    );
    expect(await bad({ ...simulate, intervalMs: 0 })).toMatch(
      /feeds\.0\.count: an endless simulation \(no count\) needs intervalMs > 0/,
    );
    expect(await bad({ ...simulate, instruments: [{ instrument: "PRND_OXIDE" }] })).toMatch(
      /feeds\.0\.instruments\.0\.start/,
    );
  });

  it("refuses two feeds with one name", async () => {
    await expect(loadFeedsFile(file({ feeds: [simulate, simulate] }))).rejects.toThrow(
      /feeds\.1\.name: duplicate feed name/,
    );
  });

  it("takes holiday corrections, a year replacing the built-in one", async () => {
    const { holidays } = await loadFeedsFile(
      file({ feeds: [], holidays: { cn: { "2027": { closed: ["2027-02-05..2027-02-12"] } } } }),
    );
    const cn = marketCalendar("cn", holidays);
    expect(cn.isTradingDay("2027-02-08")).toBe(false);
    expect(cn.isTradingDay("2026-10-05")).toBe(false);
    await expect(
      loadFeedsFile(file({ feeds: [], holidays: { cn: { "2027": { closed: ["2027-02-30"] } } } })),
    ).rejects.toThrow(/holidays\.cn\.2027\.closed\.0/);
  });
});
