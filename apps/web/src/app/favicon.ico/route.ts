/**
 * Browsers and crawlers ask for /favicon.ico whatever the page's `<link rel="icon">` says: send them to the
 * app's one icon (app/icon.svg) instead of a 404.
 */
export function GET(): Response {
  return new Response(null, { status: 308, headers: { Location: "/icon.svg" } });
}
