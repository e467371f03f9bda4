/**
 * Service configuration: one zod schema per service, parsed once at start. A
 * missing or malformed variable stops the service with one clear line naming it.
 */
import { z } from "zod";
import { parseNatsServers } from "./nats-url.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

/** Parses `env` with `schema`; throws ConfigError with one line per bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const name = i.path.map(String).join(".") || "(environment)";
    const given = typeof i.path[0] === "string" ? env[i.path[0]] : undefined;
    return given === undefined ? `config: ${name} is required` : `config: ${name} is invalid: ${i.message}`;
  });
  throw new ConfigError(lines);
}

/**
 * For a service's main: parse or print the problem and exit non-zero.
 * @example const config = loadConfigOrExit(EvaluatorConfigSchema, process.env);
 */
export function loadConfigOrExit<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const port = (dflt: number) =>
  z.coerce
    .number({ error: "a TCP port number" })
    .int("a TCP port number")
    .min(0, "a TCP port number")
    .max(65535, "a TCP port number")
    .default(dflt);

/** The variables every service reads (DESIGN 4.1). */
export const commonEnv = {
  /** every comma-separated entry nats:// or tls://, a host, and a port 1-65535 when one is given */
  NATS_URL: z
    .string()
    .superRefine((value, ctx) => {
      try {
        parseNatsServers(value);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    })
    .default("nats://127.0.0.1:4222"),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `one of ${LOG_LEVELS.join(", ")}` }).default("info"),
  DATA_DIR: z.string().min(1).default("./var"),
  /** NATS stream and bucket replicas: 3 on a cluster */
  NATS_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
};

export { port as portSchema };
