import { parseConfig } from "@rea/runtime";
import { describe, expect, it } from "vitest";
import { ApiConfigSchema } from "./config.js";

const token = "0123456789abcdef";

describe("api config", () => {
  it("keeps port 8080 and the outbox when API_PORT and SMTP_URL are set but empty", () => {
    const c = parseConfig(ApiConfigSchema, { API_ADMIN_TOKEN: token, API_PORT: "", SMTP_URL: "" });
    expect(c.API_PORT).toBe(8080);
    expect(c.SMTP_URL).toBeUndefined();
  });

  it("leaves the webhook bot off when its variables are empty", () => {
    const c = parseConfig(ApiConfigSchema, {
      API_ADMIN_TOKEN: token,
      TELEGRAM_BOT_TOKEN: "",
      TELEGRAM_WEBHOOK_URL: "",
      TELEGRAM_WEBHOOK_SECRET: "",
      TELEGRAM_API_ROOT: "",
    });
    expect(c).toMatchObject({ TELEGRAM_API_ROOT: "https://api.telegram.org", BOT_SELF_SIGNUP: "false" });
    expect(c.TELEGRAM_BOT_TOKEN ?? c.TELEGRAM_WEBHOOK_URL ?? c.TELEGRAM_WEBHOOK_SECRET).toBeUndefined();
  });
});
