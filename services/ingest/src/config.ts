/** The ingest service's environment. */
import { commonEnv, envSchema, portSchema } from "@rea/runtime";
import { z } from "zod";

export const IngestConfigSchema = envSchema({
  ...commonEnv,
  HEALTH_PORT: portSchema(9103),
  /** JSON file naming the feeds to run; relative paths inside it are relative to the file */
  FEEDS_FILE: z.string().min(1).default("infra/feeds/demo.json"),
});
export type IngestConfig = z.infer<typeof IngestConfigSchema>;
