/** Finds a reachable NATS, or starts a local nats-server with JetStream under DATA_DIR. */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { connect as tcpConnect } from "node:net";
import { join } from "node:path";

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

export function firstServer(natsUrl: string): { host: string; port: number } {
  const first = natsUrl.split(",")[0]?.trim() ?? "nats://127.0.0.1:4222";
  const u = new URL(first);
  return { host: u.hostname || "127.0.0.1", port: Number(u.port || 4222) };
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
