import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConfigError, commonEnv, envSchema, parseConfig, portSchema } from "./config.js";

const Schema = envSchema({
  ...commonEnv,
  API_PORT: portSchema(8080),
  API_ADMIN_TOKEN: z.string().min(16, "at least 16 characters"),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "smtp://user:pass@host:587")
    .optional(),
});

const linesOf = (env: Record<string, string>): string[] => {
  try {
    parseConfig(Schema, env);
  } catch (e) {
    if (e instanceof ConfigError) return e.lines;
    throw e;
  }
  return [];
};

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

  it("treats a variable set to the empty string as unset, so its default applies", () => {
    const c = parseConfig(Schema, {
      API_ADMIN_TOKEN: "0123456789abcdef",
      API_PORT: "",
      SMTP_URL: "",
      NATS_URL: "",
      LOG_LEVEL: "",
      DATA_DIR: "",
      NATS_REPLICAS: "",
    });
    expect(c).toEqual({
      API_ADMIN_TOKEN: "0123456789abcdef",
      API_PORT: 8080,
      NATS_URL: "nats://127.0.0.1:4222",
      LOG_LEVEL: "info",
      DATA_DIR: "./var",
      NATS_REPLICAS: 1,
    });
    expect("SMTP_URL" in c).toBe(false);
  });

  it("names an empty required variable as required", () => {
    expect(linesOf({ API_ADMIN_TOKEN: "" })).toEqual(["config: API_ADMIN_TOKEN is required"]);
  });

  it("treats a value of only blanks as unset too, and keeps an explicit API_PORT=0", () => {
    const c = parseConfig(Schema, { API_ADMIN_TOKEN: "0123456789abcdef", API_PORT: " ", SMTP_URL: "\t" });
    expect(c.API_PORT).toBe(8080);
    expect(c.SMTP_URL).toBeUndefined();
    expect(parseConfig(Schema, { API_ADMIN_TOKEN: "0123456789abcdef", API_PORT: "0" }).API_PORT).toBe(0);
  });

  it("accepts several NATS servers", () => {
    expect(
      parseConfig(Schema, { NATS_URL: "nats://a:4222,nats://b:4222", API_ADMIN_TOKEN: "0123456789abcdef" }).NATS_URL,
    ).toBe("nats://a:4222,nats://b:4222");
  });
});
