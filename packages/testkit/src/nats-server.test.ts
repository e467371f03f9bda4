import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startNatsCluster } from "./nats-cluster.js";
import { probeJetStream } from "./nats-probe.js";
import { startNatsServer } from "./nats-server.js";
import type { NatsServerHandle } from "./nats-server.js";

interface ServerInfo {
  jetstream?: boolean;
  version?: string;
  port?: number;
  server_name?: string;
}

/** Connects over raw TCP and parses the INFO line every NATS server sends first. */
function readInfo(url: string): Promise<ServerInfo> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let text = "";
    socket.setEncoding("utf8");
    socket.setTimeout(5_000, () => socket.destroy(new Error("no INFO line within 5 s")));
    socket.on("data", (chunk: string) => {
      text += chunk;
      const eol = text.indexOf("\r\n");
      if (eol < 0) return;
      socket.destroy();
      const line = text.slice(0, eol);
      if (!line.startsWith("INFO ")) reject(new Error(`unexpected greeting: ${line}`));
      else resolve(JSON.parse(line.slice(5)) as ServerInfo);
    });
    socket.once("error", reject);
  });
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });
}

describe("startNatsServer", () => {
  let server: NatsServerHandle | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("serves a JetStream-enabled nats-server on a loopback url", async () => {
    server = await startNatsServer();
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const info = await readInfo(server.url);
    expect(info.jetstream).toBe(true);
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.port).toBe(server.port);
    expect(await probeJetStream(server.port)).toBe(true);
  });

  it("frees its port and removes its temporary store when stopped", async () => {
    const handle = await startNatsServer();
    await handle.stop();
    expect(await refusesConnections(handle.url)).toBe(true);
    expect(existsSync(handle.storeDir)).toBe(false);
  });

  it("comes back on the same url after a crash, keeping the store directory", async () => {
    server = await startNatsServer();
    const { url, pid } = server;
    await server.kill();
    expect(await refusesConnections(url)).toBe(true);
    expect(existsSync(path.join(server.storeDir, "jetstream"))).toBe(true);

    await server.restart();
    expect(server.url).toBe(url);
    expect(server.pid).not.toBe(pid);
    expect((await readInfo(url)).jetstream).toBe(true);
  });

  it("restarts a running server in place", async () => {
    server = await startNatsServer();
    const { url, pid } = server;
    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect((await readInfo(url)).port).toBe(server.port);
  });

  it("uses a given store directory and port and leaves the directory in place", async () => {
    const storeDir = await mkdtemp(path.join(os.tmpdir(), "rea-nats-test-"));
    try {
      const first = await startNatsServer({ storeDir });
      await first.stop();
      const handle = await startNatsServer({ storeDir, port: first.port, args: ["--server_name", "alerts-test"] });
      expect(handle.port).toBe(first.port);
      expect((await readInfo(handle.url)).server_name).toBe("alerts-test");
      await handle.stop();
      expect(existsSync(path.join(storeDir, "jetstream"))).toBe(true);
    } finally {
      await rm(storeDir, { recursive: true, force: true });
    }
  });

  it("runs a config file in the store directory, its JetStream block and name kept, on a free port", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "rea-testkit-conf-"));
    try {
      const configFile = path.join(dir, "node.conf");
      await writeFile(
        configFile,
        'server_name: from-file\nlisten: 127.0.0.1:4222\njetstream {\n  store_dir: "./js"\n}\n',
      );
      server = await startNatsServer({ configFile, storeDir: dir });
      expect(server.port).not.toBe(4222);
      expect(await readInfo(server.url)).toMatchObject({ server_name: "from-file", jetstream: true });
      expect(existsSync(path.join(dir, "js", "jetstream"))).toBe(true);
      await server.stop();
      server = undefined;
      expect(existsSync(dir)).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reports the server's own error when it cannot start", async () => {
    await expect(startNatsServer({ args: ["--no-such-flag"] })).rejects.toThrow(/nats-server.*\n.*flag/is);
  });
});

describe("startNatsCluster", () => {
  it("runs three routed JetStream nodes that survive a node crash", async () => {
    const cluster = await startNatsCluster();
    try {
      expect(cluster.urls).toHaveLength(3);
      expect(cluster.url).toBe(cluster.urls.join(","));
      const infos = await Promise.all(cluster.urls.map(readInfo));
      expect(infos.map((i) => i.server_name)).toEqual(["n1", "n2", "n3"]);
      expect(infos.every((i) => i.jetstream === true)).toBe(true);

      const [first, second] = cluster.nodes;
      await first?.kill();
      expect(await refusesConnections(cluster.urls[0] ?? "")).toBe(true);
      expect((await readInfo(second?.url ?? "")).server_name).toBe("n2");
      await first?.restart();
      expect((await readInfo(cluster.urls[0] ?? "")).server_name).toBe("n1");
    } finally {
      await cluster.stop();
    }
    expect(await Promise.all(cluster.urls.map(refusesConnections))).toEqual([true, true, true]);
  });
});
