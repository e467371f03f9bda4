/** The api's environment (DESIGN 4.1). */
import { commonEnv, portSchema } from "@rea/runtime";
import { z } from "zod";

export const ApiConfigSchema = z.object({
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
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
