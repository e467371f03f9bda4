/**
 * The nats-server configs of infra/nats against the installed nats-server
 * (Debian's 2.9.10 is the floor): each passes `nats-server -t`, single.conf
 * serves JetStream and monitoring, and the three cluster configs form one
 * JetStream cluster that takes the services' streams and buckets at R3. Each
 * runs in a temporary folder (where its relative store_dir lands) with its
 * ports swapped for free ones; the rest of each file runs as written.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { STREAM_SPECS, provision, silentLogger } from "@rea/bus";
import { parseNatsServers } from "@rea/runtime";
import { findNatsServerBinary, probeJetStream, startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, freePort, until } from "../support/processes.js";

const NATS_DIR = join(ROOT, "infra", "nats");
const CONFIGS = ["single.conf", "cluster-1.conf", "cluster-2.conf", "cluster-3.conf"];
const CLUSTER = ["cluster-1.conf", "cluster-2.conf", "cluster-3.conf"];
const read = (name: string): string => readFileSync(join(NATS_DIR, name), "utf8");

const tempDirs: string[] = [];
const servers: NatsServerHandle[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "rea-infra-nats-"));
  tempDirs.push(dir);
  return dir;
};

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every `127.0.0.1:PORT` of the configs, mapped to a free port, the same one wherever it recurs. */
async function freePortsFor(texts: string[]): Promise<Map<string, string>> {
  const ports = new Map<string, string>();
  for (const text of texts) {
    for (const [, port] of text.matchAll(/127\.0\.0\.1:(\d+)/g)) {
      if (port !== undefined && !ports.has(port)) ports.set(port, String(await freePort()));
    }
  }
  return ports;
}

describe("infra/nats configs", () => {
  it.each(CONFIGS)("%s passes nats-server's configuration test", (name) => {
    const run = spawnSync(findNatsServerBinary(), ["-c", join(NATS_DIR, name), "-t"], { encoding: "utf8" });
    expect(run.stderr).toContain("is valid");
    expect(run.status).toBe(0);
  });

  it("single.conf serves JetStream and monitoring, its store under the directory it starts in", async () => {
    const monitor = await freePort();
    const dir = tempDir();
    // the testkit puts the server on a free port; -m moves monitoring to another; flags override the file
    const nats = await startNatsServer({
      configFile: join(NATS_DIR, "single.conf"),
      storeDir: dir,
      args: ["-m", String(monitor)],
    });
    servers.push(nats);
    expect(await probeJetStream(nats.port)).toBe(true);
    expect(existsSync(join(dir, "var", "nats", "jetstream"))).toBe(true);
    const varz = (await (await fetch(`http://127.0.0.1:${monitor}/varz`)).json()) as { server_name?: string };
    expect(varz.server_name).toBe("rea-single");
  });

  it("the three cluster configs form one JetStream cluster that takes the services' streams at R3", async () => {
    const texts = CLUSTER.map(read);
    const ports = await freePortsFor(texts);
    const dir = tempDir();
    const nodes = await Promise.all(
      texts.map((text, i) => {
        const file = join(dir, CLUSTER[i] ?? "");
        writeFileSync(
          file,
          text.replace(/127\.0\.0\.1:(\d+)/g, (_, port: string) => `127.0.0.1:${ports.get(port)}`),
        );
        const storeDir = join(dir, `n${i + 1}`);
        mkdirSync(storeDir);
        return startNatsServer({ configFile: file, storeDir });
      }),
    );
    servers.push(...nodes);
    await until(
      "a JetStream meta leader",
      async () => ((await Promise.all(nodes.map((n) => probeJetStream(n.port)))).every(Boolean) ? true : undefined),
      30_000,
    );

    const nc = await connect({ servers: nodes.map((n) => n.url) });
    try {
      // what every service does at start with NATS_REPLICAS=3
      await provision(nc, { logger: silentLogger, replicas: 3 });
      const jsm = await jetstreamManager(nc);
      const streams = [];
      for await (const info of jsm.streams.list()) streams.push(info);
      // the services' streams and the KV_ streams behind their buckets
      expect(streams.map((i) => i.config.name)).toEqual(
        expect.arrayContaining([...STREAM_SPECS.map((s) => s.name), "KV_rules"]),
      );
      for (const info of streams) {
        expect(info.config.num_replicas).toBe(3);
        const peers = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((r) => r.name)];
        expect(peers.sort()).toEqual(["rea-n1", "rea-n2", "rea-n3"]);
      }
    } finally {
      await nc.close();
    }
  }, 60_000);

  it("compose.yaml runs the three cluster configs, each store on its own volume, and gives every service all three nodes at R3", () => {
    const compose = readFileSync(join(ROOT, "infra", "compose.yaml"), "utf8");
    const clientPorts = CLUSTER.map((name) => /^listen: 127\.0\.0\.1:(\d+)$/m.exec(read(name))?.[1]);
    const natsUrl = /^ {2}NATS_URL: (\S+)$/m.exec(compose)?.[1] ?? "";
    expect(parseNatsServers(natsUrl).map((s) => String(s.port))).toEqual(clientPorts);
    expect(compose).toMatch(/^ {2}NATS_REPLICAS: "3"$/m);
    CLUSTER.forEach((name, i) => {
      // the image runs in "/", where the config's relative store_dir lands on the node's volume
      const storeDir = /store_dir: "\.\/(.+)"/.exec(read(name))?.[1];
      expect(storeDir).toBe(`var/nats-cluster/n${i + 1}`);
      expect(compose).toContain(`- ./nats/${name}:/etc/nats/cluster.conf:ro`);
      expect(compose).toContain(`- nats-${i + 1}:/${storeDir}`);
    });
  });
});
