/** Path of a store's public privacy notice (the page at apps/web/src/app/privacy/[storeSlug]). */
export function noticePath(storeSlug: string): string {
  return `/privacy/${encodeURIComponent(storeSlug)}`;
}

/** The notice's absolute URL at `origin` (scheme and host, e.g. PUBLIC_BASE_URL), for QR codes and exports. */
export function noticeUrl(origin: string, storeSlug: string): string {
  return `${origin.replace(/\/+$/, "")}${noticePath(storeSlug)}`;
}

/**
 * Whether a printed URL would only work on this computer (localhost, a loopback or unspecified address):
 * set PUBLIC_BASE_URL before printing signs for shoppers' phones.
 */
export function isLocalOrigin(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname;
  } catch {
    return true;
  }
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    /^127\./.test(host) ||
    host === "0.0.0.0" ||
    host === "[::1]" ||
    host === "[::]"
  );
}
