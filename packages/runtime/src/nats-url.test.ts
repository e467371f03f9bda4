import { describe, expect, it } from "vitest";
import { parseNatsServers } from "./nats-url.js";

const problem = (natsUrl: string): string => {
  try {
    parseNatsServers(natsUrl);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error(`${natsUrl} was accepted`);
};

describe("NATS_URL", () => {
  it("reads every server of a comma-separated list, 4222 when no port is given", () => {
    expect(parseNatsServers("nats://10.0.0.1:4222, tls://nats-2.internal ,nats://[::1]:4223")).toEqual([
      { shown: "nats://10.0.0.1:4222", host: "10.0.0.1", port: 4222 },
      { shown: "tls://nats-2.internal", host: "nats-2.internal", port: 4222 },
      { shown: "nats://[::1]:4223", host: "::1", port: 4223 },
    ]);
  });

  it("accepts credentials and never shows them", () => {
    expect(parseNatsServers("nats://alerts:s3cret@127.0.0.1:4222/")).toEqual([
      { shown: "nats://***@127.0.0.1:4222/", host: "127.0.0.1", port: 4222 },
    ]);
    const message = problem("nats://alerts:s3cret@127.0.0.1:4222,nats://alerts:s3cret@127.0.0.1:notaport");
    expect(message).toContain("server 2 (nats://***@127.0.0.1:notaport)");
    expect(message).not.toContain("s3cret");
  });

  it.each([
    ["nats://127.0.0.1:notaport", 'the port "notaport" is not a number from 1 to 65535 in nats://127.0.0.1:notaport'],
    ["nats://:18422", "no host in nats://:18422"],
    ["nats://127.0.0.1:0", 'the port "0" is not a number from 1 to 65535'],
    ["nats://127.0.0.1:65536", 'the port "65536" is not a number from 1 to 65535'],
    ["nats://127.0.0.1:", 'the port "" is not a number from 1 to 65535'],
    ["localhost:4222", "the scheme is not nats:// or tls:// in localhost:4222"],
    ["http://127.0.0.1:4222", "the scheme is not nats:// or tls://"],
    ["ws://127.0.0.1:8080", "WebSocket URLs are not supported"],
    ["nats://127.0.0.1:4222/stream", "something follows host:port"],
    ["nats://ho st:4222", '"ho st" is not a host name or IP address'],
    ["nats://::1:4222", "an IPv6 address is not in brackets"],
    ["nats://[1:2:3]:4222", '"[1:2:3]" is not an IPv6 address'],
    ["nats://a:4222,", "server 2 is empty"],
  ])("rejects %s, saying why", (natsUrl, why) => {
    expect(problem(natsUrl)).toContain(why);
  });

  it("names every bad server of a list in one message", () => {
    expect(problem("nats://a:4222,nats://:1,nats://b:x")).toBe(
      'no host in server 2 (nats://:1); the port "x" is not a number from 1 to 65535 in server 3 (nats://b:x): ' +
        "expected nats://host:port, comma-separated for several",
    );
  });
});
