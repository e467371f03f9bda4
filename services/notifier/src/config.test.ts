import { parseConfig } from "@rea/runtime";
import { describe, expect, it } from "vitest";
import { NotifierConfigSchema } from "./config.js";

describe("notifier config", () => {
  it("keeps its health port, the outbox and Telegram off when those variables are set but empty", () => {
    const c = parseConfig(NotifierConfigSchema, { HEALTH_PORT: "", SMTP_URL: "", TELEGRAM_BOT_TOKEN: "" });
    expect(c.HEALTH_PORT).toBe(9102);
    expect(c.SMTP_URL).toBeUndefined();
    expect(c.TELEGRAM_BOT_TOKEN).toBeUndefined();
  });
});
