// Internal plumbing for running real nats-server processes in tests: locating
// the binary, spawning it with a bounded stderr tail, waiting for its port and,
// when the test process exits, killing every child and removing temporary
// store directories so no server or data outlives a run.

import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { accessSync, constants, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";

const STDERR_TAIL_BYTES = 8 * 1024;
const FALLBACK_LOCATIONS = ["/usr/sbin/nats-server", "/usr/local/bin/nats-server"];

/** A spawned nats-server process with its exit promise and recent stderr. */
export interface NatsProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<void>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last few kilobytes the server wrote to stderr. */
  stderrTail(): string;
}

const liveChildren = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHooksInstalled = false;

function cleanUpAtExit(): void {
  for (const child of liveChildren) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
    } catch {
      // best effort while exiting
    }
  }
  tempDirs.clear();
}

function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on("exit", cleanUpAtExit);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      cleanUpAtExit();
      // Keep the default behaviour (terminate) unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Removes the temporary directory `dir` (if still there) when the test process exits. */
export function removeAtExit(dir: string): void {
  installExitHooks();
  tempDirs.add(dir);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds the nats-server binary on PATH or in the usual install locations. */
export function findNatsServerBinary(): string {
  const dirs = (process.env["PATH"] ?? "").split(path.delimiter).filter((d) => d !== "");
  const candidates = [...dirs.map((d) => path.join(d, "nats-server")), ...FALLBACK_LOCATIONS];
  const found = candidates.find(isExecutable);
  if (found === undefined) {
    throw new Error(
      "nats-server binary not found on PATH, in /usr/sbin or /usr/local/bin; install it with `apt-get install nats-server`",
    );
  }
  return found;
}

/** Spawns nats-server with the given arguments (in `cwd`, if given) and tracks it for cleanup. */
export function spawnNatsServer(args: string[], cwd?: string): NatsProcess {
  const child = spawn(findNatsServerBinary(), args, {
    stdio: ["ignore", "ignore", "pipe"],
    ...(cwd === undefined ? {} : { cwd }),
  });
  let tail = "";
  let exited = false;
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
  });
  const exitedPromise = new Promise<void>((resolve) => {
    const done = (): void => {
      exited = true;
      liveChildren.delete(child);
      resolve();
    };
    child.once("exit", done);
    child.once("error", (err) => {
      tail += `\n${err.message}`;
      done();
    });
  });
  if (child.pid === undefined) {
    // spawn failed synchronously; the "error" event carries the reason
    return { child, pid: -1, exited: exitedPromise, hasExited: () => true, stderrTail: () => tail };
  }
  installExitHooks();
  liveChildren.add(child);
  // A forgotten server must not keep the test process alive; the exit hook kills it.
  child.unref();
  if (child.stderr instanceof net.Socket) child.stderr.unref();
  return {
    child,
    pid: child.pid,
    exited: exitedPromise,
    hasExited: () => exited,
    stderrTail: () => tail,
  };
}

/** Sends a signal and waits for the process to exit. */
export async function signalAndWait(proc: NatsProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.hasExited()) return;
  proc.child.kill(signal);
  const escalate = setTimeout(() => proc.child.kill("SIGKILL"), 10_000);
  try {
    await proc.exited;
  } finally {
    clearTimeout(escalate);
  }
}

/** Resolves true if a TCP connection to 127.0.0.1:port succeeds. */
export function canConnect(port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Describes why a server failed to start, with the tail of its stderr. */
export function startupError(what: string, proc: NatsProcess): Error {
  const tail = proc.stderrTail().trim();
  return new Error(`${what}${tail === "" ? "" : `\nnats-server stderr:\n${tail}`}`);
}

/** Waits until the process accepts TCP on the port, failing if it exits first. */
export async function waitForPort(proc: NatsProcess, port: number, deadline: number): Promise<void> {
  for (;;) {
    if (proc.hasExited()) throw startupError(`nats-server exited before accepting connections on port ${port}`, proc);
    if (await canConnect(port)) return;
    if (Date.now() > deadline) {
      await signalAndWait(proc, "SIGKILL");
      throw startupError(`nats-server did not accept connections on port ${port} in time`, proc);
    }
    await sleep(50);
  }
}

/** Reserves `count` distinct free loopback ports by binding port 0. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => resolve());
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}
