import { parseNatsServers } from "@rea/runtime";
import { describe, expect, it } from "vitest";
import { chooseNats } from "./nats-local.js";

/** a probe that answers for the given host:port pairs only */
const upAt =
  (...live: string[]) =>
  (host: string, port: number): Promise<boolean> =>
    Promise.resolve(live.includes(`${host}:${port}`));

const choose = (natsUrl: string, ...live: string[]) => chooseNats(parseNatsServers(natsUrl), upAt(...live));

describe("which NATS the launcher runs the system on", () => {
  it("uses the whole list when a later server answers and the first, local one does not", async () => {
    const choice = await choose("nats://127.0.0.1:14222,nats://nats-2.internal:4222", "nats-2.internal:4222");
    expect(choice).toEqual({
      kind: "use",
      silent: [{ shown: "nats://127.0.0.1:14222", host: "127.0.0.1", port: 14222 }],
    });
  });

  it("uses a single server that answers", async () => {
    expect(await choose("nats://10.0.0.5:4222", "10.0.0.5:4222")).toEqual({ kind: "use", silent: [] });
  });

  it.each(["nats://127.0.0.1:14222", "nats://localhost:14222"])(
    "starts a local nats-server when %s is the only server and does not answer",
    async (natsUrl) => {
      expect(await choose(natsUrl)).toEqual({ kind: "start", host: "127.0.0.1", port: 14222 });
    },
  );

  it("stops, naming the server, when a single remote one does not answer", async () => {
    await expect(choose("nats://alerts:s3cret@nats.internal:4222")).rejects.toThrow(
      "NATS_URL nats://***@nats.internal:4222 does not answer",
    );
  });

  it("starts nothing when no server of a list answers, even if all of them are local", async () => {
    await expect(choose("nats://127.0.0.1:14222,nats://u:p@127.0.0.1:14223")).rejects.toThrow(
      "no server of NATS_URL answers (nats://127.0.0.1:14222, nats://***@127.0.0.1:14223)",
    );
  });
});
