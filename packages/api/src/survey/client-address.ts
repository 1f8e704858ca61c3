import "server-only";
import { webEnv } from "../env.ts";
import { requestClientAddress } from "../peer-address.ts";

/**
 * The request's client address for per-client rate limits, or null when none can be trusted (see
 * TRUSTED_PROXY, server/peer-address.ts and server/client-ip.ts): never a value the client chose. Hashed
 * before use, never stored. Callers skip per-client limits on null and rely on limits whose subject the
 * client cannot choose (per printed code, per token).
 */
export function clientAddress(headers: Headers): string | null {
  return requestClientAddress(headers, webEnv().TRUSTED_PROXY);
}
