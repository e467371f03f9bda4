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
});
export type ApiConfig = z.infer<typeof ApiConfigSchema>;
