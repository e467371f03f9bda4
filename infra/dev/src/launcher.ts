/**
 * The dev launcher: one command brings the whole system up on one machine.
 * It uses the servers of NATS_URL when any of them answers, and otherwise, if
 * NATS_URL names a single local address (the default does), starts a local
 * nats-server there with its store under DATA_DIR; it starts every service as its own
 * process with prefixed, readable logs; it prints the api URL and admin token;
 * it creates a demo user and rules and replays the demo prices (DEMO_FEED=off
 * skips that); Ctrl-C stops everything cleanly.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { redactUrl } from "@rea/bus";
import { commonEnv, envSchema, loadConfigOrExit, parseNatsServers } from "@rea/runtime";
import { serviceNodeArgs } from "@rea/runtime/node-args";
import { z } from "zod";
import { setupDemo } from "./demo-setup.js";
import { formatLine, makePrefix } from "./log-printer.js";
import { chooseNats, startLocalNats } from "./nats-local.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

// checked before anything else, NATS_URL with the very rule the services apply
const LauncherEnv = envSchema({
  NATS_URL: commonEnv.NATS_URL,
  API_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  API_ADMIN_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  SMTP_URL: z.string().optional(),
  DATA_DIR: z.string().default("./var"),
  DEMO_FEED: z.enum(["on", "off"], { error: 'DEMO_FEED is "on" or "off"' }).default("on"),
  FEEDS_FILE: z.string().optional(),
  DEMO_EMAIL: z.email().default("demo@example.com"),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_WEBHOOK_URL: z.string().optional(),
});

type Child = { name: string; proc: ChildProcess };
const children: Child[] = [];
let nats: ChildProcess | undefined;
let stopping = false;
const color = process.stdout.isTTY;
const say = (line: string): void => {
  process.stdout.write(`${makePrefix("launcher", 5, color)} ${line}\n`);
};

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const addr = s.address();
      s.close(() => res(typeof addr === "object" && addr !== null ? addr.port : 0));
    });
  });
}

function startService(name: string, index: number, env: NodeJS.ProcessEnv): Child {
  const main = join(ROOT, "services", name, "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: run the build first (npm start does it)`);
  // its own process group: Ctrl-C reaches only the launcher, which then drains each service once
  const proc = spawn(process.execPath, serviceNodeArgs(ROOT, name), {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = makePrefix(name, index, color);
  for (const stream of [proc.stdout, proc.stderr]) {
    if (stream === null) continue;
    createInterface({ input: stream }).on("line", (l) => process.stdout.write(`${formatLine(prefix, l)}\n`));
  }
  proc.on("exit", (code, signal) => {
    if (stopping) return;
    say(`${name} exited (${signal ?? `code ${code}`}); stopping everything`);
    void shutdown(1);
  });
  const child = { name, proc };
  children.push(child);
  return child;
}

async function waitReady(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become ready within ${timeoutMs / 1000} s`);
}

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  say("stopping services...");
  await Promise.all(
    children.map(
      ({ proc }) =>
        new Promise<void>((res) => {
          if (proc.exitCode !== null) return res();
          const t = setTimeout(() => proc.kill("SIGKILL"), 10_000);
          proc.once("exit", () => {
            clearTimeout(t);
            res();
          });
          proc.kill("SIGTERM");
        }),
    ),
  );
  if (nats !== undefined && nats.exitCode === null) {
    const n = nats;
    await new Promise<void>((res) => {
      n.once("exit", () => res());
      n.kill("SIGTERM");
    });
    say("local nats-server stopped");
  }
  say("stopped");
  process.exit(code);
}

async function main(): Promise<void> {
  const env = loadConfigOrExit(LauncherEnv, process.env);
  const dataDir = resolve(ROOT, env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));
  // if the launcher itself dies, take the services with it
  process.on("exit", () => {
    for (const { proc } of children) if (proc.exitCode === null) proc.kill("SIGKILL");
    if (nats !== undefined && nats.exitCode === null) nats.kill("SIGKILL");
  });

  const natsUrl = env.NATS_URL;
  const choice = await chooseNats(parseNatsServers(natsUrl));
  if (choice.kind === "use") {
    say(`using NATS at ${redactUrl(natsUrl)}`);
    for (const s of choice.silent) say(`${s.shown} does not answer now; the services keep it in their list`);
  } else {
    nats = await startLocalNats(choice.host, choice.port, join(dataDir, "nats"));
    say(`started a local nats-server on ${choice.host}:${choice.port} (store: ${join(dataDir, "nats")})`);
  }

  const tokenFile = join(dataDir, "admin-token");
  const adminToken =
    env.API_ADMIN_TOKEN ??
    (existsSync(tokenFile) ? readFileSync(tokenFile, "utf8").trim() : randomBytes(24).toString("base64url"));
  if (env.API_ADMIN_TOKEN === undefined) writeFileSync(tokenFile, adminToken, { mode: 0o600 });

  const ports = {
    evaluator: await freePort(),
    notifier: await freePort(),
    ingest: await freePort(),
    bot: await freePort(),
  };
  const base: NodeJS.ProcessEnv = { ...process.env, NATS_URL: natsUrl, DATA_DIR: dataDir, API_ADMIN_TOKEN: adminToken };
  startService("api", 0, { ...base, API_PORT: String(env.API_PORT) });
  startService("evaluator", 1, { ...base, HEALTH_PORT: String(ports.evaluator) });
  startService("notifier", 2, { ...base, HEALTH_PORT: String(ports.notifier) });
  // long polling, unless the api serves the bot by webhook
  const botMode =
    env.TELEGRAM_BOT_TOKEN === undefined ? "off" : env.TELEGRAM_WEBHOOK_URL === undefined ? "polling" : "webhook";
  if (botMode === "polling") startService("bot", 4, { ...base, HEALTH_PORT: String(ports.bot) });
  const apiBase = `http://127.0.0.1:${env.API_PORT}`;
  await waitReady(`${apiBase}/readyz`, 30_000);

  const outbox = join(dataDir, "outbox");
  // ingest runs only with feeds: the demo's, or those of FEEDS_FILE
  const feedsFile = env.FEEDS_FILE ?? (env.DEMO_FEED === "on" ? join(ROOT, "infra", "feeds", "demo.json") : undefined);
  const health = [
    `evaluator :${ports.evaluator}`,
    `notifier :${ports.notifier}`,
    ...(feedsFile === undefined ? [] : [`ingest :${ports.ingest}`]),
    ...(botMode === "polling" ? [`bot :${ports.bot}`] : []),
  ];
  const lines = [
    "",
    `  api:          ${apiBase}   (OpenAPI: ${apiBase}/openapi.json)`,
    `  admin token:  ${adminToken}`,
    `  mail:         ${env.SMTP_URL === undefined ? `written to ${outbox}` : "sent over SMTP_URL"}`,
    `  health:       ${health.join(", ")} (/healthz /readyz /metrics)`,
    `  telegram:     ${botMode === "off" ? "off (set TELEGRAM_BOT_TOKEN to start the bot)" : botMode === "polling" ? "bot running (long polling)" : "bot served by the api at /telegram/webhook"}`,
    `  ops:          ${apiBase}/ops   docs: ${apiBase}/docs`,
  ];
  if (env.DEMO_FEED === "on") {
    const demo = await setupDemo({
      apiBase,
      adminToken,
      dataDir,
      email: env.DEMO_EMAIL,
      readOutbox: env.SMTP_URL === undefined,
      log: say,
    });
    lines.push(`  demo user:    ${demo.userId}, API key ${demo.apiKey}`);
    // the evaluator follows rules live; give it a moment to see the new ones before prices flow
    await new Promise((r) => setTimeout(r, 1000));
  }
  if (feedsFile !== undefined) {
    startService("ingest", 3, { ...base, HEALTH_PORT: String(ports.ingest), FEEDS_FILE: feedsFile });
  } else {
    lines.push("  feeds:        none (DEMO_FEED=off and no FEEDS_FILE): post prices to /v1/prices");
  }
  lines.push("", "  Ctrl-C stops everything.", "");
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((e: unknown) => {
  say(`cannot start: ${(e as Error).message}`);
  void shutdown(1);
});
