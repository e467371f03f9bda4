/** Finds a reachable NATS, or starts a local nats-server with JetStream under DATA_DIR. */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { join } from "node:path";
import type { NatsServerAddress } from "@rea/runtime";

const LOCAL_HOSTS = ["127.0.0.1", "localhost"];

export function reachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

/** What the launcher runs the system on. */
export type NatsChoice =
  /** the servers of NATS_URL, as given: at least one answers now */
  | { kind: "use"; silent: NatsServerAddress[] }
  /** a nats-server the launcher starts itself */
  | { kind: "start"; host: string; port: number };

/**
 * The servers of NATS_URL when any of them answers, whichever it is: the
 * services get the whole list and the NATS client finds the live ones. When
 * none answers, a local nats-server is started only if NATS_URL names a single
 * local address (127.0.0.1 or localhost; the default does): a list names
 * servers run elsewhere, or a cluster, which one server started here would
 * silently replace. Otherwise it throws, naming the servers (credentials hidden).
 * @example const choice = await chooseNats(parseNatsServers(natsUrl));
 */
export async function chooseNats(
  servers: NatsServerAddress[],
  answers: (host: string, port: number) => Promise<boolean> = reachable,
): Promise<NatsChoice> {
  const up = await Promise.all(servers.map((s) => answers(s.host, s.port)));
  if (up.some(Boolean)) return { kind: "use", silent: servers.filter((_, i) => up[i] !== true) };
  const [only] = servers;
  if (servers.length === 1 && only !== undefined) {
    if (LOCAL_HOSTS.includes(only.host)) return { kind: "start", host: "127.0.0.1", port: only.port };
    throw new Error(`NATS_URL ${only.shown} does not answer`);
  }
  throw new Error(
    `no server of NATS_URL answers (${servers.map((s) => s.shown).join(", ")}); start them, or set NATS_URL to ` +
      "one local address such as nats://127.0.0.1:4222 to have a nats-server started there",
  );
}

export function findNatsServer(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":").concat(["/usr/sbin", "/usr/local/bin", "/usr/bin"])) {
    const p = join(dir, "nats-server");
    if (dir !== "" && existsSync(p)) return p;
  }
  return undefined;
}

/** Starts nats-server on host:port with its store in `dir`; resolves when it accepts connections. */
export async function startLocalNats(host: string, port: number, dir: string): Promise<ChildProcess> {
  const bin = findNatsServer();
  if (bin === undefined) {
    throw new Error(
      "nats-server is not installed: run `sudo apt-get install nats-server` (or set NATS_URL to a running server)",
    );
  }
  mkdirSync(dir, { recursive: true });
  const child = spawn(bin, ["-a", host, "-p", String(port), "-js", "-sd", dir], {
    stdio: ["ignore", "ignore", "pipe"],
    detached: true,
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`nats-server exited: ${stderr.trim()}`);
    if (await reachable(host, port, 300)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`nats-server did not start on ${host}:${port}: ${stderr.trim()}`);
}
