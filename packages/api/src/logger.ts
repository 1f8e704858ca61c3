import { pino, type Logger } from "pino";
import { webEnv } from "./env.ts";

const g = globalThis as unknown as { shelfWebLogger?: Logger };

/**
 * The web server's structured log (pino, JSON lines on stdout, like the worker and the agent), created once per
 * process. Level from LOG_LEVEL (default info, see env.ts). Never log survey free text, tokens or cookies.
 */
export function logger(): Logger {
  g.shelfWebLogger ??= pino({
    name: "web",
    level: webEnv().LOG_LEVEL,
    redact: ["*.token", "*.cookie", "*.answer", "*.text"],
  });
  return g.shelfWebLogger;
}
