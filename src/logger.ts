/**
 * Structured JSON logs (pino). Redaction is a second line of defence: secrets should never reach a
 * log call in the first place, but authorization headers and key-like fields are censored if they do.
 */
import { pino, type Logger } from "pino";

export type { Logger };

const REDACT_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "apiKey",
  "*.apiKey",
  "key",
  "*.key",
  "token",
  "*.token",
  "password",
  "*.password",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const opts = {
    level,
    base: { service: "matrix-arena" },
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts);
}
