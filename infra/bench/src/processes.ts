/**
 * The processes the benchmark runs: its own nats-server (JetStream, store in a
 * temp dir, a free port chosen by the server) and the built services. Each runs
 * in its own process group, so Ctrl-C reaches only the benchmark, which stops
 * them in order; anything still alive when the benchmark exits is killed.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { serviceNodeArgs } from "@rea/runtime/node-args";

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

export interface Proc {
  name: string;
  proc: ChildProcess;
  /** the last lines it wrote (stdout and stderr) */
  tail(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited */
  stop(graceMs?: number): Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const exited = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;

function track(name: string, bin: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Proc {
  const proc = spawn(bin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  live.add(proc);
  proc.once("exit", () => live.delete(proc));
  let tail = "";
  const keep = (d: Buffer): void => {
    tail = (tail + d.toString()).slice(-4000);
  };
  proc.stdout?.on("data", keep);
  proc.stderr?.on("data", keep);
  return {
    name,
    proc,
    tail: () => tail.trim(),
    async stop(graceMs = 10_000) {
      if (exited(proc)) return;
      const gone = new Promise<void>((r) => proc.once("exit", () => r()));
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), graceMs);
      await gone;
      clearTimeout(timer);
    },
  };
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

function natsServerBinary(): string {
  const dirs = (process.env.PATH ?? "").split(":").filter((d) => d !== "");
  for (const dir of [...dirs, "/usr/sbin", "/usr/local/bin", "/usr/bin"]) {
    try {
      accessSync(join(dir, "nats-server"), constants.X_OK);
      return join(dir, "nats-server");
    } catch {
      // not here
    }
  }
  throw new Error("nats-server is not installed: `sudo apt-get install nats-server`");
}

export interface NatsProc extends Proc {
  url: string;
}

/** Starts nats-server with JetStream on 127.0.0.1 and a port of its own choosing (never 4222). */
export async function startNats(dir: string): Promise<NatsProc> {
  const args = ["-a", "127.0.0.1", "-p", "-1", "-js", "-sd", join(dir, "store"), "--ports_file_dir", dir];
  const p = track("nats-server", natsServerBinary(), args, process.env, dir);
  const portsFile = join(dir, `nats-server_${p.proc.pid ?? 0}.ports`);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (exited(p.proc)) throw new Error(`nats-server exited at start: ${p.tail()}`);
    try {
      const url = (JSON.parse(readFileSync(portsFile, "utf8")) as { nats?: string[] }).nats?.[0];
      if (url !== undefined) return { ...p, url };
    } catch {
      // not written yet, or half written
    }
    await sleep(25);
  }
  await p.stop();
  throw new Error(`nats-server did not start within 10 s: ${p.tail()}`);
}

export interface ServiceProc extends Proc {
  healthPort: number;
}

/** Starts `services/<name>/dist/main.js` and waits for its /readyz. */
export async function startService(root: string, name: string, env: Record<string, string>): Promise<ServiceProc> {
  const main = join(root, "services", name, "dist", "main.js");
  try {
    accessSync(main, constants.R_OK);
  } catch {
    throw new Error(`${main} is missing: build the services first (npx tsc -b services/${name})`);
  }
  const healthPort = await freePort();
  const env2 = { PATH: process.env.PATH ?? "", ...env, HEALTH_PORT: String(healthPort) };
  const p = track(name, process.execPath, serviceNodeArgs(root, name), env2, root);
  const url = `http://127.0.0.1:${healthPort}/readyz`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited(p.proc)) throw new Error(`${name} exited at start:\n${p.tail()}`);
    try {
      if ((await fetch(url)).ok) return { ...p, healthPort };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  await p.stop();
  throw new Error(`${name} was not ready at ${url} within 60 s:\n${p.tail()}`);
}
