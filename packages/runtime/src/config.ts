/**
 * Service configuration: one zod schema per service, parsed once at start. A
 * missing or malformed variable stops the service with one clear line naming it.
 * A variable set to the empty string (or only blanks) counts as unset, so its
 * default applies.
 */
import { z } from "zod";
import { parseNatsServers } from "./nats-url.js";

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly lines: string[]) {
    super(lines.join("\n"));
  }
}

const isBlank = (value: unknown): boolean => typeof value === "string" && value.trim() === "";

/** Parses `env` with `schema`; throws ConfigError with one line per bad variable. */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => {
    const name = i.path.map(String).join(".") || "(environment)";
    const given = typeof i.path[0] === "string" ? env[i.path[0]] : undefined;
    return given === undefined || isBlank(given)
      ? `config: ${name} is required`
      : `config: ${name} is invalid: ${i.message}`;
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

/** The environment without its empty variables: `API_PORT=` means "not set", as if it were absent. */
function withoutEmptyValues(env: unknown): unknown {
  if (typeof env !== "object" || env === null) return env;
  return Object.fromEntries(Object.entries(env).filter(([, value]) => !isBlank(value)));
}

/**
 * A service's environment schema: the variables it reads, each empty one
 * treated as unset (so `SMTP_URL=` leaves mail in the outbox and `API_PORT=`
 * keeps 8080).
 * @example export const IngestConfigSchema = envSchema({ ...commonEnv, HEALTH_PORT: portSchema(9103) });
 */
export function envSchema<T extends z.ZodRawShape>(shape: T) {
  return z.preprocess(withoutEmptyValues, z.object(shape));
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
