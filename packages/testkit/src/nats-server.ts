// A real nats-server with JetStream for tests: started on a free loopback port
// with its own store directory, and able to stop, crash and come back on the
// same address with its JetStream data intact.

import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { removeAtExit, signalAndWait, sleep, spawnNatsServer, startupError, waitForPort } from "./nats-process.js";
import type { NatsProcess } from "./nats-process.js";

const STARTUP_TIMEOUT_MS = 10_000;

/** Options for {@link startNatsServer}. */
export interface NatsServerOptions {
  /** Extra command-line arguments (nats-server 2.9 flags only). */
  args?: string[];
  /**
   * JetStream store directory; a temporary one is created (and removed on stop) if omitted.
   * With `configFile`, the directory the server runs in: the file's JetStream block applies,
   * and a relative `store_dir` in it lands here.
   */
  storeDir?: string;
  /**
   * A nats-server config file to run, its address and port replaced by 127.0.0.1 and `port`
   * (or a free one). No `-js`/`-sd` then: nats-server 2.9 refuses `-sd` next to a file's `store_dir`.
   */
  configFile?: string;
  /** Client port; a free one is chosen if omitted. */
  port?: number;
}

/** A running (or stopped) nats-server. */
export interface NatsServerHandle {
  /** `nats://127.0.0.1:PORT`, unchanged across restarts. */
  readonly url: string;
  readonly port: number;
  readonly storeDir: string;
  /** Process id of the current server process. */
  readonly pid: number;
  /** SIGTERM, wait for exit, remove the store directory if it was created here. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), wait for exit, keep the store directory. */
  kill(): Promise<void>;
  /**
   * Start again on the same port and store directory (stops it first if
   * running). JetStream data survives kill() and in-place restarts; stop()
   * removes a temporary store, so a server restarted after it starts empty.
   */
  restart(): Promise<void>;
}

interface PortsFile {
  nats?: string[];
}

async function readPortsFile(file: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return undefined;
  }
  try {
    const url = (JSON.parse(text) as PortsFile).nats?.[0];
    const port = url === undefined ? NaN : Number(new URL(url).port);
    return Number.isInteger(port) && port > 0 ? port : undefined;
  } catch {
    return undefined; // partially written
  }
}

async function waitForPortsFile(proc: NatsProcess, dir: string, deadline: number): Promise<number> {
  const file = path.join(dir, `nats-server_${proc.pid}.ports`);
  for (;;) {
    if (proc.hasExited()) throw startupError("nats-server exited during startup", proc);
    const port = await readPortsFile(file);
    if (port !== undefined) return port;
    if (Date.now() > deadline) {
      await signalAndWait(proc, "SIGKILL");
      throw startupError(`nats-server did not become ready within ${STARTUP_TIMEOUT_MS} ms`, proc);
    }
    await sleep(25);
  }
}

/**
 * Starts the real `nats-server` binary with JetStream on 127.0.0.1.
 *
 * @example
 * const nats = await startNatsServer();
 * // connect any NATS client to nats.url
 * await nats.kill();    // simulate a crash
 * await nats.restart(); // same url, JetStream data kept
 * await nats.stop();
 */
export async function startNatsServer(opts: NatsServerOptions = {}): Promise<NatsServerHandle> {
  const ownsStore = opts.storeDir === undefined;
  const portsDir = await mkdtemp(path.join(os.tmpdir(), "rea-nats-"));
  removeAtExit(portsDir);
  const storeDir = opts.storeDir ?? portsDir;
  const extraArgs = opts.args ?? [];
  let port = opts.port;
  let proc: NatsProcess | undefined;

  const launch = async (): Promise<void> => {
    const address = ["-a", "127.0.0.1", "-p", String(port ?? -1)];
    const args =
      opts.configFile === undefined ? [...address, "-js", "-sd", storeDir] : ["-c", opts.configFile, ...address];
    const cwd = opts.configFile === undefined ? undefined : storeDir;
    const next = spawnNatsServer([...args, "--ports_file_dir", portsDir, ...extraArgs], cwd);
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    const announced = await waitForPortsFile(next, portsDir, deadline);
    if (port !== undefined && announced !== port) {
      await signalAndWait(next, "SIGKILL");
      throw new Error(`nats-server listened on port ${announced} instead of ${port}`);
    }
    port = announced;
    await waitForPort(next, port, deadline);
    proc = next;
  };

  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    if (proc === undefined) return;
    const current = proc;
    await signalAndWait(current, signal);
    // a killed server leaves its ports file behind
    await rm(path.join(portsDir, `nats-server_${current.pid}.ports`), { force: true });
  };

  try {
    await launch();
  } catch (err) {
    await rm(portsDir, { recursive: true, force: true });
    throw err;
  }
  const fixedPort = port as number;

  return {
    url: `nats://127.0.0.1:${fixedPort}`,
    port: fixedPort,
    storeDir,
    get pid(): number {
      return proc?.pid ?? -1;
    },
    async stop() {
      await halt("SIGTERM");
      await rm(portsDir, { recursive: true, force: true });
      if (ownsStore) await rm(storeDir, { recursive: true, force: true });
    },
    async kill() {
      await halt("SIGKILL");
    },
    async restart() {
      if (proc !== undefined && !proc.hasExited()) await halt("SIGTERM");
      await mkdir(portsDir, { recursive: true });
      await launch();
    },
  };
}
