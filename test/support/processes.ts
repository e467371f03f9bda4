/** Runs the built services as real processes for end-to-end tests. */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serviceNodeArgs } from "@rea/runtime/node-args";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface ServiceProcess {
  name: string;
  proc: ChildProcess;
  logs: string[];
  healthPort: number;
  /** SIGTERM and wait for a clean exit */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash */
  kill(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => res(typeof a === "object" && a !== null ? a.port : 0));
    });
  });
}

const exited = (p: ChildProcess): Promise<void> =>
  p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((r) => p.once("exit", () => r()));

export async function startService(name: string, env: Record<string, string>): Promise<ServiceProcess> {
  const main = join(ROOT, "services", name, "dist", "main.js");
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (npm test does)`);
  const healthPort = name === "api" ? Number(env.API_PORT) : await freePort();
  const proc = spawn(process.execPath, serviceNodeArgs(ROOT, name), {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "info", HEALTH_PORT: String(healthPort), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const collect = (d: Buffer) =>
    logs.push(
      ...d
        .toString()
        .split("\n")
        .filter((l) => l !== ""),
    );
  proc.stdout?.on("data", collect);
  proc.stderr?.on("data", collect);
  const svc: ServiceProcess = {
    name,
    proc,
    logs,
    healthPort,
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      await exited(proc);
      return proc.exitCode;
    },
    async kill() {
      proc.kill("SIGKILL");
      await exited(proc);
    },
  };
  await waitFor(`http://127.0.0.1:${healthPort}/readyz`, 20_000, svc);
  return svc;
}

async function waitFor(url: string, timeoutMs: number, svc: ServiceProcess): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (svc.proc.exitCode !== null)
      throw new Error(`${svc.name} exited with ${svc.proc.exitCode}:\n${svc.logs.join("\n")}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${svc.name} not ready at ${url} after ${timeoutMs} ms:\n${svc.logs.join("\n")}`);
}

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
