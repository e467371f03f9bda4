/** The api's environment (DESIGN 4.1). */
import { commonEnv, envSchema, portSchema } from "@rea/runtime";
import { z } from "zod";

export const ApiConfigSchema = envSchema({
  ...commonEnv,
  API_PORT: portSchema(8080),
  API_HOST: z.string().min(1).default("0.0.0.0"),
  API_ADMIN_TOKEN: z.string().min(16, "at least 16 characters"),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "smtp://user:pass@host:587 or smtps://...")
    .optional(),
  MAIL_FROM: z.string().min(3).default("alerts@localhost"),
  API_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  API_MAX_RULES_PER_USER: z.coerce.number().int().min(1).default(500),
  BACKFILL_HORIZON_DAYS: z.coerce.number().int().min(1).default(400),
  API_MAX_PRICES_PER_REQUEST: z.coerce.number().int().min(1).default(10_000),
  /** requests per minute per API key (token bucket, per api replica); 0 turns the limit off */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
  /** the same for the admin token */
  API_ADMIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(6000),
  /** most prices one rule preview may run over */
  API_PREVIEW_MAX_PRICES: z.coerce.number().int().min(1).default(100_000),
  /** the bot's username without "@": link codes then come with a t.me link */
  TELEGRAM_BOT_USERNAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]{3,31}$/, "a Telegram bot username without @, e.g. rare_earth_alerts_bot")
    .optional(),
  /** with TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET: the bot runs here in webhook mode instead of long polling */
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^[0-9]+:[A-Za-z0-9_-]+$/, "a bot token from @BotFather, e.g. 123456:ABC-DEF")
    .optional(),
  TELEGRAM_API_ROOT: z.url("a URL such as https://api.telegram.org").default("https://api.telegram.org"),
  /** the public URL Telegram posts updates to, ending in /telegram/webhook */
  TELEGRAM_WEBHOOK_URL: z.url("the public https URL of /telegram/webhook").optional(),
  /** checked on every webhook request (X-Telegram-Bot-Api-Secret-Token) */
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, "16-256 characters: A-Z, a-z, 0-9, _ and -")
    .optional(),
  BOT_SELF_SIGNUP: z.enum(["true", "false"]).default("false"),
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
