import { describe, expect, it } from "vitest";
import { MIN_SERVER_VERSION, compareVersions, redactUrl } from "./connection.js";

describe("server version check", () => {
  it("accepts Debian's 2.9.10 and later, refuses 2.8", () => {
    expect(compareVersions("2.9.10", MIN_SERVER_VERSION)).toBe(1);
    expect(compareVersions("2.9.0", MIN_SERVER_VERSION)).toBe(0);
    expect(compareVersions("2.10.4", "2.9.10")).toBe(1);
    expect(compareVersions("2.8.4", MIN_SERVER_VERSION)).toBe(-1);
    expect(compareVersions("2.11.0-beta.1", "2.10.99")).toBe(1);
  });
});

describe("redactUrl", () => {
  it("hides credentials in a server URL before it is logged", () => {
    expect(redactUrl("nats://alerts:s3cret@nats.internal:4222")).toBe("nats://***@nats.internal:4222");
    expect(redactUrl("nats://127.0.0.1:4222")).toBe("nats://127.0.0.1:4222");
  });

  it("hides the credentials of every server in a NATS_URL list", () => {
    expect(redactUrl("nats://a:4222,nats://alerts:s3cret@b:4222,tls://x:y@c:4222")).toBe(
      "nats://a:4222,nats://***@b:4222,tls://***@c:4222",
    );
  });
});
