import { pino, type Logger } from "pino";

/** Structured JSON logs. Never log pixels or survey free text. */
export function createLogger(level: string, name = "worker"): Logger {
  return pino({ name, level, redact: ["*.crop", "*.data", "crop", "data"] });
}
export type { Logger };
