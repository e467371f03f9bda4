/**
 * The dev launcher (`npm start`) as a real process: how it checks NATS_URL and
 * picks a NATS server before it starts anything.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "../support/processes.js";

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
});
