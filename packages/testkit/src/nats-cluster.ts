// A real JetStream cluster on loopback for failover tests: one nats-server per
// node (n1..nN), each with its own config file and store directory, routed to
// all the others, ready once a JetStream meta leader has been elected.

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { probeJetStream } from "./nats-probe.js";
import { freePorts, removeAtExit, signalAndWait, sleep, spawnNatsServer, waitForPort } from "./nats-process.js";
import type { NatsProcess } from "./nats-process.js";
import type { NatsServerHandle } from "./nats-server.js";

const NODE_START_TIMEOUT_MS = 10_000;
const LEADER_TIMEOUT_MS = 15_000;

/** A running JetStream cluster. */
export interface NatsClusterHandle {
  /** One `nats://127.0.0.1:PORT` url per node. */
  readonly urls: string[];
  /** All node urls joined with commas, as NATS clients accept them. */
  readonly url: string;
  /**
   * One handle per node. A node's stop() keeps its store directory (the
   * cluster owns it); restart() brings it back on the same ports.
   */
  readonly nodes: NatsServerHandle[];
  /** Stops every node and removes all store directories. */
  stop(): Promise<void>;
}

interface NodeSpec {
  name: string;
  port: number;
  clusterPort: number;
  storeDir: string;
  configFile: string;
}

function renderConfig(node: NodeSpec, peers: NodeSpec[]): string {
  const routes = peers.map((p) => `    nats-route://127.0.0.1:${p.clusterPort}`).join("\n");
  return [
    `listen: 127.0.0.1:${node.port}`,
    `server_name: ${node.name}`,
    `jetstream {`,
    `  store_dir: ${JSON.stringify(node.storeDir)}`,
    `}`,
    `cluster {`,
    `  name: "rea"`,
    `  listen: 127.0.0.1:${node.clusterPort}`,
    `  routes: [`,
    routes,
    `  ]`,
    `}`,
    ``,
  ].join("\n");
}

function nodeHandle(spec: NodeSpec): { handle: NatsServerHandle; launch(): Promise<void> } {
  let proc: NatsProcess | undefined;
  const launch = async (): Promise<void> => {
    const next = spawnNatsServer(["-c", spec.configFile]);
    await waitForPort(next, spec.port, Date.now() + NODE_START_TIMEOUT_MS);
    proc = next;
  };
  const halt = async (signal: NodeJS.Signals): Promise<void> => {
    if (proc !== undefined) await signalAndWait(proc, signal);
  };
  const handle: NatsServerHandle = {
    url: `nats://127.0.0.1:${spec.port}`,
    port: spec.port,
    storeDir: spec.storeDir,
    get pid(): number {
      return proc?.pid ?? -1;
    },
    stop: () => halt("SIGTERM"),
    kill: () => halt("SIGKILL"),
    async restart() {
      await halt("SIGTERM");
      await launch();
    },
  };
  return { handle, launch };
}

async function waitForMetaLeader(ports: number[]): Promise<void> {
  const deadline = Date.now() + LEADER_TIMEOUT_MS;
  for (;;) {
    const answers = await Promise.all(ports.map((port) => probeJetStream(port)));
    if (answers.every(Boolean)) return;
    if (Date.now() > deadline) {
      throw new Error(`NATS cluster elected no JetStream meta leader within ${LEADER_TIMEOUT_MS} ms`);
    }
    await sleep(200);
  }
}

/**
 * Starts a JetStream cluster of `size` nats-server nodes on 127.0.0.1 and waits
 * until every node answers JetStream requests (a meta leader is elected).
 * Right after a node is killed or restarted, JetStream may briefly be
 * unavailable again while leaders are re-elected: retry stream operations.
 *
 * @example
 * const cluster = await startNatsCluster();
 * // connect a NATS client to cluster.url, create an R3 stream...
 * await cluster.nodes[0]?.kill();
 * await cluster.nodes[0]?.restart();
 * await cluster.stop();
 */
export async function startNatsCluster(size = 3): Promise<NatsClusterHandle> {
  if (!Number.isInteger(size) || size < 1) throw new Error(`cluster size must be a positive integer, got ${size}`);
  const baseDir = await mkdtemp(path.join(os.tmpdir(), "rea-nats-cluster-"));
  removeAtExit(baseDir);
  const ports = await freePorts(size * 2);
  const specs: NodeSpec[] = Array.from({ length: size }, (_, i) => ({
    name: `n${i + 1}`,
    port: ports[i * 2] as number,
    clusterPort: ports[i * 2 + 1] as number,
    storeDir: path.join(baseDir, `n${i + 1}`),
    configFile: path.join(baseDir, `n${i + 1}.conf`),
  }));
  const nodes = specs.map(nodeHandle);
  const stopAll = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.handle.stop()));
    await rm(baseDir, { recursive: true, force: true });
  };

  try {
    for (const spec of specs) {
      await mkdir(spec.storeDir, { recursive: true });
      const peers = specs.filter((s) => s !== spec);
      await writeFile(spec.configFile, renderConfig(spec, peers));
    }
    await Promise.all(nodes.map((n) => n.launch()));
    await waitForMetaLeader(specs.map((s) => s.port));
  } catch (err) {
    await stopAll();
    throw err;
  }

  const urls = nodes.map((n) => n.handle.url);
  return { urls, url: urls.join(","), nodes: nodes.map((n) => n.handle), stop: stopAll };
}
