/** The notifier's environment. */
import { commonEnv, envSchema, portSchema } from "@rea/runtime";
import { z } from "zod";

export const NotifierConfigSchema = envSchema({
  ...commonEnv,
  HEALTH_PORT: portSchema(9102),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, "smtp://user:pass@host:587 or smtps://...")
    .optional(),
  MAIL_FROM: z.string().min(3).default("alerts@localhost"),
  TELEGRAM_BOT_TOKEN: z
    .string()
    .regex(/^[0-9]+:[A-Za-z0-9_-]+$/, "a bot token from @BotFather, e.g. 123456:ABC-DEF")
    .optional(),
  TELEGRAM_API_ROOT: z.url("a URL such as https://api.telegram.org").default("https://api.telegram.org"),
  /** alerts handled at once; one slow channel never holds back the others */
  NOTIFIER_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(32),
  /** deliveries of one alert before it is dead-lettered (transient failures back off up to a minute) */
  NOTIFIER_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(15),
  /** how often held alerts are checked for the end of their user's quiet hours (milliseconds) */
  NOTIFIER_DIGEST_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});
export type NotifierConfig = z.infer<typeof NotifierConfigSchema>;
