import net from "node:net";
import { describe, expect, it } from "vitest";
import type { TestProject } from "vitest/node";
import setup from "./global-setup.js";

function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

describe("global setup", () => {
  it("provides the url of a running nats-server and stops it at teardown", async () => {
    const provided = new Map<string, unknown>();
    const project = { provide: (key: string, value: unknown) => provided.set(key, value) };

    const teardown = await setup(project as unknown as TestProject);
    const natsUrl = provided.get("natsUrl");
    expect(natsUrl).toMatch(/^nats:\/\/127\.0\.0\.1:\d+$/);
    expect(await accepts(String(natsUrl))).toBe(true);

    await teardown();
    expect(await accepts(String(natsUrl))).toBe(false);
  });
});
