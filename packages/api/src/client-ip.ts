/**
 * The client address a request can be trusted to come from, for rate limits (hashed before use, never
 * stored), or null when there is none.
 *
 * Route handlers never see the socket: `next start` copies the socket address into `X-Forwarded-For` only
 * when the client sent no such header, and keeps a client-sent one as it is. So:
 * - `trustedProxies` = 0 (the app is reached directly): any `X-Forwarded-For` may be the client's own
 *   invention, and the socket address is not visible → null. Callers then skip per-client limits and rely
 *   on limits whose subject the client cannot choose (per shelf code, per token, per kiosk).
 * - `trustedProxies` = N ≥ 1: each of the N proxies appends the address it saw, so the N-th entry from
 *   the right is the one the outermost trusted proxy saw: the client. Entries left of it are the client's
 *   to choose and are ignored. Fewer than N entries means the request did not pass the proxies → null.
 */
export function trustedClientIp(headers: Headers, trustedProxies: number): string | null {
  if (trustedProxies < 1) return null;
  const entries = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = entries[entries.length - trustedProxies];
  if (!ip || entries.length < trustedProxies) return null;
  return ip.slice(0, 100);
}
