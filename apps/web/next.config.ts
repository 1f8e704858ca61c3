import type { NextConfig } from "next";

const config: NextConfig = {
  // Build output; NEXT_DIST_DIR moves it (two builds of one checkout at once, e.g. parallel test runs).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Internal packages ship TypeScript source (see STYLE.md): Next compiles them.
  transpilePackages: ["@shelf/core", "@shelf/db", "@shelf/survey-engine"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  poweredByHeader: false,
  // forbidden() for pages a role may not open (a 403 page instead of an error).
  experimental: { authInterrupts: true },
};

export default config;
