/** The bot's environment (DESIGN 4.1). */
import { commonEnv, envSchema, portSchema } from "@rea/runtime";
import { z } from "zod";

const flag = z
  .enum(["true", "false", "1", "0", "on", "off", "yes", "no"], { error: "true or false" })
  .transform((v) => v === "true" || v === "1" || v === "on" || v === "yes");

export const BotConfigSchema = envSchema({
  ...commonEnv,
  HEALTH_PORT: portSchema(9104),
  /** unset: the bot is off (said once in the log) */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^[0-9]+:[A-Za-z0-9_-]+$/, "a bot token from @BotFather, e.g. 123456:ABC-DEF")
    .optional(),
  TELEGRAM_API_ROOT: z.url("a URL such as https://api.telegram.org").default("https://api.telegram.org"),
  /** `/start` without a code creates an account for the chat */
  BOT_SELF_SIGNUP: flag.default(false),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "smtp://user:pass@host:587 or smtps://...")
    .optional(),
  MAIL_FROM: z.string().min(3).default("alerts@localhost"),
  /** the same limit the api applies: rules created from the chat count against it */
  API_MAX_RULES_PER_USER: z.coerce.number().int().min(1).default(500),
});
export type BotConfig = z.infer<typeof BotConfigSchema>;
