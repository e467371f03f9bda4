import { ConfigError, parseConfig } from "@rea/runtime";
import { describe, expect, it } from "vitest";
import { BotConfigSchema } from "./config.js";

describe("bot config", () => {
  it("has the documented defaults and leaves the bot off without a token", () => {
    const c = parseConfig(BotConfigSchema, {});
    expect(c).toMatchObject({
      TELEGRAM_API_ROOT: "https://api.telegram.org",
      BOT_SELF_SIGNUP: false,
      HEALTH_PORT: 9104,
      MAIL_FROM: "alerts@localhost",
    });
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it("keeps its defaults and stays off when its variables are set but empty", () => {
    const c = parseConfig(BotConfigSchema, {
      HEALTH_PORT: "",
      SMTP_URL: "",
      TELEGRAM_BOT_TOKEN: "",
      BOT_SELF_SIGNUP: "",
    });
    expect(c).toMatchObject({ HEALTH_PORT: 9104, BOT_SELF_SIGNUP: false });
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });

  it.each([
    ["true", true],
    ["on", true],
    ["1", true],
    ["false", false],
    ["off", false],
  ])("reads BOT_SELF_SIGNUP=%s", (value, expected) => {
    expect(parseConfig(BotConfigSchema, { BOT_SELF_SIGNUP: value }).BOT_SELF_SIGNUP).toBe(expected);
  });

  it("names each malformed variable", () => {
    let lines: string[] = [];
    try {
      parseConfig(BotConfigSchema, { TELEGRAM_BOT_TOKEN: "not a token", BOT_SELF_SIGNUP: "maybe" });
    } catch (e) {
      if (e instanceof ConfigError) lines = e.lines;
    }
    expect(lines).toEqual([
      expect.stringContaining("config: TELEGRAM_BOT_TOKEN is invalid: a bot token from @BotFather"),
      "config: BOT_SELF_SIGNUP is invalid: true or false",
    ]);
  });
});
