/**
 * Who a request comes from, for rate limiting only (hashed before use, never stored).
 *
 * The rightmost `X-Forwarded-For` entry is the address the nearest proxy saw: production runs behind a
 * reverse proxy that appends it. `next start` without a proxy fills the header from the socket only when
 * the client sent none, so a client talking to it directly can pick its own value: the per-token limit,
 * the per-code limit and single use still hold then.
 */
export function clientAddress(headers: Headers): string {
  const xff = headers.get("x-forwarded-for");
  const last = xff
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .at(-1);
  return (last ?? headers.get("x-real-ip") ?? "unknown").slice(0, 100);
}
