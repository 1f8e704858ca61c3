import { z } from "zod";

/**
 * Camera sources: the one set of rules the web app (when an admin saves a source) and the camera agent
 * (before it hands a source from the database to ffmpeg) both apply. Pure: name resolution is the caller's
 * job; `checkSourceAddresses` decides on the addresses it found.
 *
 * What a source stored in the database may be:
 * - `rtsp://host[:port]/…`, `rtsps://…` — an IP camera (RTSP over TCP);
 * - `http://host[:port]/…`, `https://…` — an MJPEG stream (read with ffmpeg's mpjpeg demuxer only);
 * - `local:<name>` — a source the agent's operator configured on the agent's machine (a recorded video, a
 *   USB camera, a folder of stills): the web may only name it, never give a path;
 * - `demo:face-api` — the photos @vladmandic/face-api ships.
 * Never a file path, `file:`, `v4l2:` or any other scheme: those would let whoever sets a source read the
 * agent's files through the calibration snapshot.
 */

/** Thrown for a source that breaks the rules; `message` says why, for the admin who typed it. */
export class CameraSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CameraSourceError";
  }
}

export type NetworkScheme = "rtsp" | "rtsps" | "http" | "https";

export type CameraSource =
  | {
      kind: "network";
      scheme: NetworkScheme;
      /** Lower-case DNS name or IP literal (IPv6 without brackets). */
      host: string;
      port: number;
      /** The URL without user name or password. */
      url: string;
      /** `user` or `user:password` from the URL as typed (percent-encoded), null when there was none. */
      credentials: string | null;
    }
  | { kind: "local"; name: string }
  | { kind: "demo"; name: "face-api" };

const DEFAULT_PORTS: Record<NetworkScheme, number> = { rtsp: 554, rtsps: 322, http: 80, https: 443 };

/** Names of agent-side sources (`local:<name>`). */
export const ZLocalSourceName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "lower-case letters, digits, - and _ (at most 64)");

const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Parses a source as stored or typed. Throws CameraSourceError naming what is wrong. */
export function parseCameraSource(raw: string): CameraSource {
  const value = raw.trim();
  if (value.length === 0 || value.length > 2000) throw new CameraSourceError("must be 1–2000 characters");
  // Control characters and spaces would reach ffmpeg's argument or an HTTP request line.
  if (/[\s\u0000-\u001f\u007f]/.test(value))
    throw new CameraSourceError("must not contain spaces or control characters");
  if (value === "demo:face-api") return { kind: "demo", name: "face-api" };
  if (value.startsWith("local:")) {
    const name = ZLocalSourceName.safeParse(value.slice("local:".length));
    if (!name.success) throw new CameraSourceError(`local:<name>: ${name.error.issues[0]!.message}`);
    return { kind: "local", name: name.data };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
  if (scheme !== "rtsp" && scheme !== "rtsps" && scheme !== "http" && scheme !== "https")
    throw new CameraSourceError(
      "use rtsp://, rtsps://, http(s):// (MJPEG), local:<name> (a source configured on the agent) or demo:face-api; " +
        "files and devices are configured on the agent, not here",
    );
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CameraSourceError("is not a valid URL");
  }
  if (!value.slice(scheme.length).startsWith("://"))
    throw new CameraSourceError(`must start with ${scheme}://`);
  if (url.hash) throw new CameraSourceError("must not have a #fragment");
  let host = url.hostname.toLowerCase();
  if (host.startsWith("[") && host.endsWith("]")) {
    host = host.slice(1, -1);
    if (parseIp(host)?.version !== 6) throw new CameraSourceError("has an invalid IPv6 address");
  } else if (!HOSTNAME.test(host)) throw new CameraSourceError("needs a host name or IP address");
  else if (/^[0-9.]+$/.test(host) && parseIp(host)?.version !== 4)
    throw new CameraSourceError("has an invalid IPv4 address");
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[scheme];
  const credentials = url.username ? (url.password ? `${url.username}:${url.password}` : url.username) : null;
  url.username = "";
  url.password = "";
  return { kind: "network", scheme, host, port, url: url.toString(), credentials };
}

/** Puts credentials (`user` or `user:password`, percent-encoded) into a network source URL for ffmpeg. */
export function withCredentials(url: string, credentials: string | null): string {
  if (!credentials) return url;
  const u = new URL(url);
  const colon = credentials.indexOf(":");
  u.username = colon < 0 ? credentials : credentials.slice(0, colon);
  if (colon >= 0) u.password = credentials.slice(colon + 1);
  return u.toString();
}

/** A source URL as typed, for zod inputs: valid when `parseCameraSource` accepts it. */
export const ZCameraSourceUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    try {
      parseCameraSource(value);
    } catch (err) {
      if (!(err instanceof CameraSourceError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
    }
  });

// ── IP addresses and CIDRs (pure; IPv4 as 32-bit, IPv6 as 128-bit BigInt) ──

export interface IpAddress {
  version: 4 | 6;
  value: bigint;
}

function parseIpv4(s: string): bigint | null {
  const parts = s.split(".");
  if (parts.length !== 4) return null;
  let v = 0n;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return null;
    v = (v << 8n) | BigInt(p);
  }
  return v;
}

function parseIpv6(s: string): bigint | null {
  if (s.includes("%")) return null; // zone ids: not for camera sources
  let head = s;
  let tailV4: bigint | null = null;
  const lastColon = s.lastIndexOf(":");
  if (s.includes(".")) {
    tailV4 = parseIpv4(s.slice(lastColon + 1));
    if (tailV4 === null) return null;
    head = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return null;
  const group = (g: string) => (g === "" ? [] : g.split(":"));
  const left = group(halves[0]!);
  const right = halves.length === 2 ? group(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  let v = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    v = (v << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== null) v = (v & ~0xffffffffn) | tailV4;
  return v;
}

/** An IPv4 or IPv6 literal; IPv4-mapped IPv6 (::ffff:a.b.c.d) is read as the IPv4 address it maps. */
export function parseIp(s: string): IpAddress | null {
  const v4 = parseIpv4(s);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIpv6(s.toLowerCase());
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

export interface Cidr {
  version: 4 | 6;
  base: bigint;
  prefix: number;
}

/** `a.b.c.d/n`, `x::/n`, or a bare address (one host). */
export function parseCidr(s: string): Cidr | null {
  const [addr, bits, extra] = s.split("/");
  if (extra !== undefined || !addr) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.version === 4 ? 32 : 128;
  // An IPv4-mapped IPv6 CIDR would need its prefix shifted: ask for the IPv4 form instead.
  if (ip.version === 4 && addr.includes(":")) return null;
  const prefix = bits === undefined ? max : /^[0-9]{1,3}$/.test(bits) ? Number(bits) : NaN;
  if (!(prefix >= 0 && prefix <= max)) return null;
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(max - prefix);
  return { version: ip.version, base: ip.value & mask, prefix };
}

export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  if (c.version !== ip.version) return false;
  const max = c.version === 4 ? 32 : 128;
  const shift = BigInt(max - c.prefix);
  return ip.value >> shift === c.base >> shift;
}

/**
 * Address ranges a camera source never reaches unless the allowlist names an address inside the range
 * explicitly (a CIDR no wider than the range: `127.0.0.1/32` allows one loopback address, `0.0.0.0/0`
 * allows none of these).
 */
export const SPECIAL_RANGES: { cidr: string; what: string }[] = [
  { cidr: "0.0.0.0/8", what: "'this network'" },
  { cidr: "127.0.0.0/8", what: "loopback (the agent's own machine)" },
  { cidr: "169.254.0.0/16", what: "link-local (cloud metadata 169.254.169.254)" },
  { cidr: "100.100.100.200/32", what: "cloud metadata" },
  { cidr: "224.0.0.0/4", what: "multicast" },
  { cidr: "255.255.255.255/32", what: "broadcast" },
  { cidr: "::/128", what: "unspecified" },
  { cidr: "::1/128", what: "loopback (the agent's own machine)" },
  { cidr: "fe80::/10", what: "link-local" },
  { cidr: "fd00:ec2::254/128", what: "cloud metadata" },
  { cidr: "ff00::/8", what: "multicast" },
];
const SPECIAL = SPECIAL_RANGES.map((r) => ({ ...r, range: parseCidr(r.cidr)! }));

/** One allowlist entry: a host name (exact, lower-case), an IP address, or a CIDR. */
export const ZSourceAllowEntry = z
  .string()
  .trim()
  .toLowerCase()
  .refine((e) => parseCidr(e) !== null || (HOSTNAME.test(e) && !/^[0-9.]+$/.test(e)), {
    message: "must be a host name, an IP address or a CIDR (e.g. 10.0.5.0/24)",
  });
/** A store's allowlist of camera hosts; empty means no network source is allowed. */
export const ZSourceAllowlist = z.array(ZSourceAllowEntry).max(200);

export type SourceCheck = { ok: true } | { ok: false; reason: string };

/** An allowlist read once: its CIDRs (IP addresses as /32 or /128) and its host names, lower-case. */
export function readAllowlist(allowlist: readonly string[]): { cidrs: Cidr[]; names: Set<string> } {
  const entries = allowlist.map((e) => e.trim().toLowerCase());
  const cidrs = entries.flatMap((e) => {
    const c = parseCidr(e);
    return c ? [c] : [];
  });
  return { cidrs, names: new Set(entries) };
}

/**
 * The special range (loopback, link-local, cloud metadata, …) that `ip` lies in, if any, and whether the
 * allowlist names it: only a CIDR no wider than that range does (`0.0.0.0/0` names none of them).
 */
export function specialRangeOf(
  ip: IpAddress,
  cidrs: readonly Cidr[],
): { what: string; named: boolean } | null {
  const special = SPECIAL.find((s) => cidrContains(s.range, ip));
  if (!special) return null;
  const named = cidrs.some(
    (c) => cidrContains(c, ip) && c.version === special.range.version && c.prefix >= special.range.prefix,
  );
  return { what: special.what, named };
}

/**
 * Decides whether a network source may be read, given every address its host resolved to (ffmpeg may use
 * any of them). Each address must be allowed: its host name is on the allowlist, or a CIDR on it contains
 * the address. An address in a special range (loopback, link-local, cloud metadata, …) is refused even
 * then, unless a CIDR no wider than that range names it: an allowlisted name that resolves to
 * 169.254.169.254 (DNS rebinding) is still refused.
 */
export function checkSourceAddresses(opts: {
  host: string;
  addresses: readonly string[];
  allowlist: readonly string[];
}): SourceCheck {
  const host = opts.host.toLowerCase();
  if (opts.addresses.length === 0) return { ok: false, reason: `${host} does not resolve` };
  const { cidrs, names } = readAllowlist(opts.allowlist);
  const hostListed = names.has(host);
  for (const a of opts.addresses) {
    const ip = parseIp(a);
    if (!ip) return { ok: false, reason: `${host} resolved to "${a}", which is not an IP address` };
    const special = specialRangeOf(ip, cidrs);
    if (special) {
      if (!special.named)
        return {
          ok: false,
          reason: `${host} is ${a}, ${special.what}: refused unless the allowlist names that address`,
        };
      continue;
    }
    if (!hostListed && !cidrs.some((c) => cidrContains(c, ip)))
      return { ok: false, reason: `${host} (${a}) is not on the store's camera allowlist` };
  }
  return { ok: true };
}
