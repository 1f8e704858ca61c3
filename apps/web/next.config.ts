import type { NextConfig } from "next";

/**
 * Content-Security-Policy of every response. What the app needs and no more: its own scripts (Next's inline
 * bootstrap included: no nonces, so pages can stay cacheable), inline styles (React `style`, maplibre,
 * recharts), images from itself, data: and blob: (QR codes, map canvases), the map's worker (served from
 * /vendor, and blob: workers that maplibre / mapbox-gl create), and Mapbox's API when a token is set. No
 * page may be framed (kiosk and survey pages included: clickjacking), no plugin, no foreign form target.
 * `next dev` also needs eval (React Refresh).
 */
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === "development" ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https://api.mapbox.com https://events.mapbox.com",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "frame-src 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join("; ");

/** Sent with every response, pages, API and files alike. */
const SECURITY_HEADERS = [
  { key: "Content-Security-Policy", value: csp },
  // For browsers that predate frame-ancestors.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Survey links carry their token in the path: never hand a URL to another site.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const config: NextConfig = {
  // Build output; NEXT_DIST_DIR moves it (two builds of one checkout at once, e.g. parallel test runs).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Internal packages ship TypeScript source (see STYLE.md): Next compiles them.
  transpilePackages: ["@shelf/api", "@shelf/core", "@shelf/db", "@shelf/survey-engine"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  poweredByHeader: false,
  // forbidden() for pages a role may not open (a 403 page instead of an error).
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: SECURITY_HEADERS }];
  },
};

export default config;
