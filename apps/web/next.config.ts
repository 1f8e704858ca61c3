import type { NextConfig } from "next";

const config: NextConfig = {
  // Internal packages ship TypeScript source (see STYLE.md): Next compiles them.
  transpilePackages: ["@shelf/core", "@shelf/db", "@shelf/survey-engine"],
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
  typedRoutes: false,
  poweredByHeader: false,
};

export default config;
