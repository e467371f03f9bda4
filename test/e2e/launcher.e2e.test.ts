/**
 * The dev launcher (`npm start`) as a real process: how it checks NATS_URL and
 * picks a NATS server before it starts anything.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ROOT, freePort, until } from "../support/processes.js";

interface LauncherRun {
  proc: ChildProcess;
  /** its own temporary folder, removed by stop() */
  dir: string;
  output(): string;
  exited: Promise<number | null>;
  /** Ctrl-C (if still running), then its exit code */
  stop(): Promise<number | null>;
}

/** Starts the built launcher with only `env` (and PATH); DATA_DIR lies in a fresh folder unless given. */
function launch(env: Record<string, string>): LauncherRun {
  const dir = mkdtempSync(join(tmpdir(), "rea-e2e-launcher-"));
  const proc = spawn(process.execPath, [join(ROOT, "infra", "dev", "dist", "launcher.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", DATA_DIR: join(dir, "var"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  return {
    proc,
    dir,
    output: () => out,
    exited,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGINT");
      const code = await exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

describe("the dev launcher", () => {
  const runs: LauncherRun[] = [];
  const started = (env: Record<string, string>): LauncherRun => {
    const run = launch(env);
    runs.push(run);
    return run;
  };
  afterEach(async () => {
    for (const run of runs.splice(0)) await run.stop();
  });

  it.each([
    ["nats://127.0.0.1:notaport", 'the port "notaport" is not a number from 1 to 65535 in nats://127.0.0.1:notaport'],
    ["nats://:18422", "no host in nats://:18422"],
  ])("stops on NATS_URL=%s with the services' one line, before it starts anything", async (natsUrl, why) => {
    const run = started({ NATS_URL: natsUrl });
    expect(await run.exited).toBe(2);
    expect(run.output()).toBe(
      `config: NATS_URL is invalid: ${why}: expected nats://host:port, comma-separated for several\n`,
    );
    expect(existsSync(join(run.dir, "var"))).toBe(false);
  });

  it("never prints NATS_URL credentials when the server does not answer", async () => {
    // 192.0.2.1 is reserved for documentation: nothing answers there
    const run = started({ NATS_URL: "nats://alerts:s3cret@192.0.2.1:4222" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("nats://***@192.0.2.1:4222 does not answer");
    expect(run.output()).not.toContain("s3cret");
  });
});

describe("the dev launcher with DEMO_FEED=off, on a list whose first, local server is down", () => {
  let nats: NatsServerHandle;
  let run: LauncherRun;
  let down: number;

  beforeAll(async () => {
    nats = await startNatsServer();
    down = await freePort();
    run = launch({
      NATS_URL: `nats://127.0.0.1:${down},${nats.url}`,
      API_PORT: String(await freePort()),
      DEMO_FEED: "off",
    });
    await until(
      "the launcher's banner",
      () => (run.output().includes("Ctrl-C stops everything") ? true : undefined),
      60_000,
    );
  }, 90_000);

  afterAll(async () => {
    const code = await run?.stop();
    await nats?.stop();
    // Ctrl-C stops every service and the launcher cleanly
    expect(code).toBe(0);
  });

  it("runs the system on the listed server that answers and starts no nats-server of its own", async () => {
    expect(run.output()).toContain(`using NATS at nats://127.0.0.1:${down},${nats.url}`);
    expect(run.output()).toContain(`nats://127.0.0.1:${down} does not answer now`);
    expect(run.output()).not.toContain("started a local nats-server");
    expect(await canConnect(down)).toBe(false);
  });

  it("lists a health port only for the services it started: no ingest without feeds", () => {
    const health = run
      .output()
      .split("\n")
      .find((l) => l.includes("health:"));
    expect(health).toMatch(/health: +evaluator :\d+, notifier :\d+ \(\/healthz \/readyz \/metrics\)/);
    expect(run.output()).toContain("feeds:        none (DEMO_FEED=off and no FEEDS_FILE)");
  });
});

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
