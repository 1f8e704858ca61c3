import { z } from "zod";
import {
  cidrContains,
  parseCidr,
  parseIp,
  readAllowlist,
  specialRangeOf,
  ZSourceAllowlist,
  type SourceCheck,
} from "./camera-source.ts";

/**
 * Where a store's flag alerts may be POSTed. A webhook leaves the building, so unlike a camera source it may
 * reach any public address over https; what it may not reach, unless an admin names it, is the inside:
 * - `http:` only to a host on the store's webhook allowlist (its name, or a CIDR holding every address);
 * - private addresses (RFC 1918, CGNAT, IPv6 ULA, benchmark nets) only when the allowlist names the host or a
 *   CIDR holds the address;
 * - special addresses (loopback, link-local, cloud metadata, multicast: the camera source's
 *   `SPECIAL_RANGES` in camera-source.ts) only when a CIDR no wider than the range names them, as for camera sources, so an
 *   allowlisted name that resolves to 169.254.169.254 (DNS rebinding) is still refused.
 * The check runs on every address the host resolves to, when the URL is saved and again when the worker
 * sends (it connects to the address it checked).
 */
export const PRIVATE_RANGES: { cidr: string; what: string }[] = [
  { cidr: "10.0.0.0/8", what: "private (RFC 1918)" },
  { cidr: "172.16.0.0/12", what: "private (RFC 1918)" },
  { cidr: "192.168.0.0/16", what: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", what: "carrier-grade NAT" },
  { cidr: "198.18.0.0/15", what: "benchmarking" },
  { cidr: "fc00::/7", what: "private (IPv6 unique local)" },
];
const PRIVATE = PRIVATE_RANGES.map((r) => ({ ...r, range: parseCidr(r.cidr)! }));

/** A webhook URL as an admin may save it: http(s), no credentials, at most 2 000 characters. */
export const ZWebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((u) => {
    try {
      const url = new URL(u);
      return (url.protocol === "https:" || url.protocol === "http:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "must be an https:// (or http://) address without a user name or password");

/** The store's webhook allowlist: host names, IP addresses, CIDRs (the camera allowlist's syntax). */
export const ZWebhookAllowlist = ZSourceAllowlist.max(50);

/** The host of a webhook URL as DNS and the allowlist see it (IPv6 brackets removed, lower-case). */
export function webhookHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();
}

/**
 * Decides whether a webhook may be sent to `url` whose host resolved to `addresses` (see the module
 * comment for the rules). Pure: resolve first, then ask.
 */
export function checkWebhookAddresses(opts: {
  url: URL;
  addresses: readonly string[];
  allowlist: readonly string[];
}): SourceCheck {
  const host = webhookHost(opts.url);
  if (opts.url.protocol !== "https:" && opts.url.protocol !== "http:")
    return { ok: false, reason: `${opts.url.protocol} is not a web address` };
  if (opts.addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  const { cidrs, names } = readAllowlist(opts.allowlist);
  const hostListed = names.has(host);
  for (const a of opts.addresses) {
    const ip = parseIp(a);
    if (!ip) return { ok: false, reason: `${host} resolved to "${a}", which is not an IP address` };
    const inCidr = cidrs.some((c) => cidrContains(c, ip));
    const special = specialRangeOf(ip, cidrs);
    if (special) {
      if (!special.named)
        return {
          ok: false,
          reason: `${host} is ${a}, ${special.what}: refused unless the webhook allowlist names that address`,
        };
      continue;
    }
    const priv = PRIVATE.find((p) => cidrContains(p.range, ip));
    if (priv && !hostListed && !inCidr)
      return {
        ok: false,
        reason: `${host} is ${a}, ${priv.what}: refused unless the webhook allowlist names the host or address`,
      };
    if (opts.url.protocol === "http:" && !hostListed && !inCidr)
      return {
        ok: false,
        reason: `http:// only to a host on the webhook allowlist; use https:// for ${host}`,
      };
  }
  return { ok: true };
}
