import { defineConfig } from "vitest/config";

/** Attack suite: each test attacks a real running piece (web server, agent, Redis) and must fail before its fix. */
export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ["security/**/*.test.ts"],
    globalSetup: ["./setup/global-db.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
