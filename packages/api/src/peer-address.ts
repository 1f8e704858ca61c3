import { isIP } from "node:net";
import { trustedClientIp } from "./client-ip.ts";

/**
 * The socket's peer address, which route handlers otherwise never see: `next start` copies it into
 * `X-Forwarded-For` only when the client sent none (see client-ip.ts). Our front server
 * (apps/web/scripts/server.mjs, what `npm run start -w @shelf/web` runs) writes the peer into
 * {@link PEER_ADDRESS_HEADER} on every request, replacing anything a client sent under that name, and marks
 * the process (a global symbol) so this module knows the header is its own. Under plain `next start` or
 * `next dev` the mark is missing and the header, whoever wrote it, is ignored.
 */
export const PEER_ADDRESS_HEADER = "x-shelf-peer-address";

const PEER_STAMPED = Symbol.for("shelf.peer-address-stamped");

/** Marks this process as served by a front server that writes {@link PEER_ADDRESS_HEADER} on every request. */
export function trustPeerAddressHeader(): void {
  (globalThis as Record<symbol, unknown>)[PEER_STAMPED] = true;
}

/** The socket peer of a request (IPv4-mapped IPv6 written as IPv4), or null when it cannot be known. */
export function peerAddress(headers: Headers): string | null {
  if ((globalThis as Record<symbol, unknown>)[PEER_STAMPED] !== true) return null;
  const raw = (headers.get(PEER_ADDRESS_HEADER) ?? "").trim();
  const a = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(raw) ? raw.slice(7) : raw;
  return isIP(a) ? a : null;
}

/**
 * Who sent a request, for rate limits: with `TRUSTED_PROXY` = 0 (no proxy trusted, the default) the socket
 * peer; with N ≥ 1 the address the outermost of the N trusted proxies saw. Null when neither can be known:
 * never a value the client chose.
 */
export function requestClientAddress(headers: Headers, trustedProxies: number): string | null {
  return trustedProxies > 0 ? trustedClientIp(headers, trustedProxies) : peerAddress(headers);
}
