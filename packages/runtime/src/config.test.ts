import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, commonEnv, parseConfig, portSchema } from "./config.js";

const Schema = z.object({
  ...commonEnv,
  API_PORT: portSchema(8080),
  API_ADMIN_TOKEN: z.string().min(16, "at least 16 characters"),
});

describe("parseConfig", () => {
  it("applies the documented defaults", () => {
    const c = parseConfig(Schema, { API_ADMIN_TOKEN: "0123456789abcdef" });
    expect(c).toMatchObject({
      NATS_URL: "nats://127.0.0.1:4222",
      LOG_LEVEL: "info",
      DATA_DIR: "./var",
      API_PORT: 8080,
    });
  });

  it("names each missing or malformed variable on its own line", () => {
    let err: unknown;
    try {
      parseConfig(Schema, { NATS_URL: "localhost:4222", API_PORT: "eighty" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines).toEqual([
      "config: NATS_URL is invalid: the scheme is not nats:// or tls:// in localhost:4222: expected nats://host:port, comma-separated for several",
      "config: API_PORT is invalid: a TCP port number",
      "config: API_ADMIN_TOKEN is required",
    ]);
  });

  it.each([
    ["nats://127.0.0.1:notaport", 'the port "notaport" is not a number from 1 to 65535 in nats://127.0.0.1:notaport'],
    ["nats://:18422", "no host in nats://:18422"],
    ["nats://a:4222,nats://b:99999", 'the port "99999" is not a number from 1 to 65535 in server 2 (nats://b:99999)'],
  ])("stops on NATS_URL=%s with one line saying which server is wrong", (natsUrl, why) => {
    let err: unknown;
    try {
      parseConfig(Schema, { NATS_URL: natsUrl, API_ADMIN_TOKEN: "0123456789abcdef" });
    } catch (e) {
      err = e;
    }
    expect((err as ConfigError).lines).toEqual([
      `config: NATS_URL is invalid: ${why}: expected nats://host:port, comma-separated for several`,
    ]);
  });

  it("accepts several NATS servers", () => {
    expect(
      parseConfig(Schema, { NATS_URL: "nats://a:4222,nats://b:4222", API_ADMIN_TOKEN: "0123456789abcdef" }).NATS_URL,
    ).toBe("nats://a:4222,nats://b:4222");
  });
});
