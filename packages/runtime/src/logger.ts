/** One pino root logger per service; secrets, addresses and chat ids are redacted. */
import { pino } from "pino";
import type { Logger } from "pino";

export type { Logger };

export const REDACT_PATHS = [
  "token",
  "apiKey",
  "password",
  "email",
  "address",
  "chatId",
  "to",
  "authorization",
  "*.token",
  "*.apiKey",
  "*.password",
  "*.email",
  "*.address",
  "*.chatId",
  "*.to",
  "*.authorization",
  "req.headers.authorization",
  "smtpUrl",
];

export function createLogger(service: string, level: string, destination?: pino.DestinationStream): Logger {
  const opts: pino.LoggerOptions = {
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination === undefined ? pino(opts) : pino(opts, destination);
}
