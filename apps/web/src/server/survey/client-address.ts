import "server-only";
import { webEnv } from "~/env";
import { trustedClientIp } from "../client-ip.ts";

/**
 * The request's client address for per-client rate limits, or null when none can be trusted (no trusted
 * proxy configured: see TRUSTED_PROXY and server/client-ip.ts). Hashed before use, never stored.
 */
export function clientAddress(headers: Headers): string | null {
  return trustedClientIp(headers, webEnv().TRUSTED_PROXY);
}
