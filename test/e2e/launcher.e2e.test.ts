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
import { afterEach, describe, expect, it } from "vitest";
import { ROOT, freePort, until } from "../support/processes.js";

interface LauncherRun {
  proc: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

const runs: LauncherRun[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "rea-e2e-launcher-"));
  dirs.push(dir);
  return dir;
}

function launch(env: Record<string, string>): LauncherRun {
  const proc = spawn(process.execPath, [join(ROOT, "infra", "dev", "dist", "launcher.js")], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once("exit", (code) => resolve(code)));
  const run = { proc, output: () => out, exited };
  runs.push(run);
  return run;
}

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.proc.exitCode === null && run.proc.signalCode === null) {
      run.proc.kill("SIGINT");
      await run.exited;
    }
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the dev launcher", () => {
  it.each([
    ["nats://127.0.0.1:notaport", 'the port "notaport" is not a number from 1 to 65535 in nats://127.0.0.1:notaport'],
    ["nats://:18422", "no host in nats://:18422"],
  ])("stops on NATS_URL=%s with the services' one line, before it starts anything", async (natsUrl, why) => {
    const dataDir = join(tempDir(), "var");
    const run = launch({ NATS_URL: natsUrl, DATA_DIR: dataDir });
    expect(await run.exited).toBe(2);
    expect(run.output()).toBe(
      `config: NATS_URL is invalid: ${why}: expected nats://host:port, comma-separated for several\n`,
    );
    expect(existsSync(dataDir)).toBe(false);
  });

  it("never prints NATS_URL credentials when the server does not answer", async () => {
    // 192.0.2.1 is reserved for documentation: nothing answers there
    const run = launch({ NATS_URL: "nats://alerts:s3cret@192.0.2.1:4222", DATA_DIR: join(tempDir(), "var") });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("nats://***@192.0.2.1:4222 does not answer");
    expect(run.output()).not.toContain("s3cret");
  });

  it("runs the system on the listed server that answers and starts no nats-server of its own", async () => {
    const nats = await startNatsServer();
    try {
      const down = await freePort();
      const run = launch({
        NATS_URL: `nats://127.0.0.1:${down},${nats.url}`,
        API_PORT: String(await freePort()),
        DATA_DIR: join(tempDir(), "var"),
        DEMO_FEED: "off",
      });
      await until(
        "the launcher's banner",
        () => (run.output().includes("Ctrl-C stops everything") ? true : undefined),
        60_000,
      );
      expect(run.output()).toContain(`using NATS at nats://127.0.0.1:${down},${nats.url}`);
      expect(run.output()).toContain(`nats://127.0.0.1:${down} does not answer now`);
      expect(run.output()).not.toContain("started a local nats-server");
      expect(await canConnect(down)).toBe(false);
      run.proc.kill("SIGINT");
      expect(await run.exited).toBe(0);
    } finally {
      await nats.stop();
    }
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
