/**
 * The bot as a real process, long polling the fake Bot API: a chat signs up,
 * creates a rule with /watch, and the rule is in the rules bucket the evaluator
 * watches. Without a token the process says the bot is off and exits cleanly;
 * with a Bot API it cannot reach it stops at start with one line.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TypedBucket } from "@rea/bus";
import { BUCKETS, RuleSchema } from "@rea/contracts";
import { startFakeTelegram, startNatsServer } from "@rea/testkit";
import type { FakeTelegram, NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, freePort, startService } from "../support/processes.js";
import type { ServiceProcess } from "../support/processes.js";

let nats: NatsServerHandle;
let tg: FakeTelegram;
let nc: NatsConnection;
let dataDir: string;
let bot: ServiceProcess;

beforeAll(async () => {
  nats = await startNatsServer();
  tg = await startFakeTelegram();
  dataDir = mkdtempSync(join(tmpdir(), "rea-e2e-bot-"));
  bot = await startService("bot", {
    NATS_URL: nats.url,
    DATA_DIR: dataDir,
    TELEGRAM_BOT_TOKEN: tg.token,
    TELEGRAM_API_ROOT: tg.apiRoot,
    BOT_SELF_SIGNUP: "true",
  });
  nc = await connect({ servers: nats.url });
}, 60_000);

afterAll(async () => {
  const code = await bot?.stop();
  await nc?.close();
  await tg?.close();
  await nats?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  // the bot stops polling, drains and exits cleanly on SIGTERM
  expect(code).toBe(0);
});

describe("the bot process", () => {
  it("sets its command menu at start", async () => {
    const [call] = await tg.waitForCalls("setMyCommands", 1);
    const commands = (call?.payload["commands"] as Array<{ command: string }>).map((c) => c.command);
    expect(commands).toEqual(expect.arrayContaining(["start", "watch", "list", "pause", "delete", "price", "help"]));
  });

  it("signs a chat up and stores the rule it creates with /watch", async () => {
    tg.injectMessage(7001, "/start", { id: 7001, first_name: "Procurement" });
    const welcome = await tg.waitForSent((m) => m.chatId === 7001 && m.text.startsWith("Welcome"));
    const userId = /\((u_[A-Za-z0-9]+)\)/.exec(welcome.text)?.[1];
    expect(userId).toBeDefined();

    tg.injectMessage(7001, "/watch TB_OXIDE up 5% 30d");
    const watching = await tg.waitForSent((m) => m.chatId === 7001 && m.text.startsWith("Watching"));
    const ruleId = /rule (r_[A-Za-z0-9]+)/.exec(watching.text)?.[1];
    const rules = await TypedBucket.open(nc, BUCKETS.RULES, RuleSchema);
    const stored = await rules.get(`${userId}.${ruleId}`);
    expect(stored?.value).toMatchObject({
      instrument: "TB_OXIDE",
      condition: { type: "change", direction: "up", pct: 5, window: "30d" },
      enabled: true,
    });
  });

  it("says the bot is off and exits 0 when TELEGRAM_BOT_TOKEN is not set", async () => {
    const proc = spawn(process.execPath, [join(ROOT, "services", "bot", "dist", "main.js")], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NATS_URL: nats.url, DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    expect(code).toBe(0);
    expect(out).toContain("TELEGRAM_BOT_TOKEN is not set: the bot is off");
  });

  it("stops at start with one clear line, and exits 1, when the Bot API cannot be reached", async () => {
    const closed = await freePort();
    const proc = spawn(process.execPath, [join(ROOT, "services", "bot", "dist", "main.js")], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        NATS_URL: nats.url,
        DATA_DIR: dataDir,
        HEALTH_PORT: String(await freePort()),
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: `http://127.0.0.1:${closed}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
    // a start that hangs is the failure this guards against: end it rather than leave it behind
    const hung = setTimeout(() => proc.kill("SIGKILL"), 20_000);
    const code = await new Promise<number | null>((resolve) => proc.once("exit", resolve));
    clearTimeout(hung);
    expect(code).toBe(1);
    expect(err).toBe(
      `cannot start: the Telegram Bot API at 127.0.0.1:${closed} cannot be reached: connect ECONNREFUSED 127.0.0.1:${closed}\n`,
    );
  });
});
