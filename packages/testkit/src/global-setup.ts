// Vitest global setup: one JetStream nats-server for the whole test run, its
// url handed to tests through `inject("natsUrl")`, stopped at teardown.

// Brings "vitest" into scope for the ProvidedContext augmentation below.
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { startNatsServer } from "./nats-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    natsUrl: string;
  }
}

/**
 * Starts one nats-server for the test run and provides its url as `natsUrl`.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { globalSetup: ["@rea/testkit/global-setup"] } });
 * // in a test
 * import { inject } from "vitest";
 * const natsUrl = inject("natsUrl");
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startNatsServer();
  project.provide("natsUrl", server.url);
  return async () => {
    await server.stop();
  };
}
