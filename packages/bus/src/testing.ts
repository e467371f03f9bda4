/**
 * For tests in other packages: a provisioned bus on a fresh nats-server from
 * the testkit, so a suite's setup is one line.
 *
 * @example
 * let bus: TestBus;
 * beforeAll(async () => { bus = await startTestBus(); });
 * afterAll(() => bus.stop());
 */
import { startNatsServer } from "@rea/testkit";
import type { NatsServerHandle } from "@rea/testkit";
import type { NatsConnection } from "@nats-io/nats-core";
import { jetstreamManager } from "@nats-io/jetstream";
import { connectBus } from "./connection.js";
import { silentLogger } from "./logger.js";
import { provision } from "./provision.js";

export interface TestBus {
  server: NatsServerHandle;
  nc: NatsConnection;
  url: string;
  /** empties streams between tests (their dedupe windows remain) */
  purge(...streams: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestBus(): Promise<TestBus> {
  const server = await startNatsServer();
  const nc = await connectBus({ servers: server.url, name: "test", logger: silentLogger });
  await provision(nc, { logger: silentLogger });
  return {
    server,
    nc,
    url: server.url,
    async purge(...streams) {
      const jsm = await jetstreamManager(nc);
      for (const s of streams) await jsm.streams.purge(s);
    },
    async stop() {
      await nc.close();
      await server.stop();
    },
  };
}
