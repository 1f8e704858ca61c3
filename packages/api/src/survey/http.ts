import type { RateLimitResult } from "@shelf/survey-engine";

/** HTTP helpers for the survey route handlers (no framework imports: plain Request / Response). */

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`request body over ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

export class UnsupportedBodyError extends Error {
  constructor() {
    super("expected application/x-www-form-urlencoded");
    this.name = "UnsupportedBodyError";
  }
}

/**
 * Reads an `application/x-www-form-urlencoded` body, refusing (without buffering it) one over `maxBytes`.
 * The survey forms use that encoding; multipart bodies (file uploads) are refused outright.
 */
export async function readForm(request: Request, maxBytes: number): Promise<URLSearchParams> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new UnsupportedBodyError();
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new BodyTooLargeError(maxBytes);
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

const NO_STORE = { "cache-control": "no-store", "referrer-policy": "no-referrer" };

/** 303 See Other to a same-origin path (after a POST, the browser GETs it). */
export function seeOther(path: string): Response {
  if (!path.startsWith("/") || path.startsWith("//")) throw new Error("redirects stay on this origin");
  return new Response(null, { status: 303, headers: { location: path, ...NO_STORE } });
}

/** A tiny static HTML page (no user input is ever interpolated). */
function page(status: number, title: string, text: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;font-size:1.125rem;line-height:1.5"><h1>${title}</h1><p role="alert">${text}</p></body></html>`;
  return new Response(html, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", ...NO_STORE, ...headers },
  });
}

/** 429 with `Retry-After`. */
export function tooManyRequests(limit: RateLimitResult): Response {
  return page(429, "Too many requests", `Please wait ${limit.retryAfterS} seconds and try again.`, {
    "retry-after": String(limit.retryAfterS),
  });
}

export function bodyTooLarge(): Response {
  return page(
    413,
    "Too much text",
    "That was more than this survey accepts. Please go back and shorten your answer.",
  );
}

export function unsupportedBody(): Response {
  return page(415, "Unsupported form", "Please use the survey form.");
}

/** Status page paths (see app/s/status/[kind]). */
export type SurveyStatusKind =
  "thanks" | "declined" | "used" | "expired" | "invalid" | "closed" | "unavailable";

export function statusPath(kind: SurveyStatusKind, kioskId?: string | null): string {
  return `/s/status/${kind}${kioskId ? `?kiosk=${encodeURIComponent(kioskId)}` : ""}`;
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The origin shoppers reach this app at, for URLs printed into QR codes: PUBLIC_BASE_URL when configured
 * (set it in production), else the request's (forwarded) host and protocol.
 */
export function publicOrigin(publicBaseUrl: string | null, headers: Headers): string {
  if (publicBaseUrl) return publicBaseUrl;
  const first = (h: string | null) => h?.split(",")[0]?.trim() || null;
  const host = first(headers.get("x-forwarded-host")) ?? first(headers.get("host")) ?? "localhost";
  const proto = first(headers.get("x-forwarded-proto")) === "https" ? "https" : "http";
  return `${proto}://${HOST.test(host) ? host : "localhost"}`;
}
