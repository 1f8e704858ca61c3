import { defineConfig } from "prisma/config";

// DATABASE_URL is only needed by commands that talk to the database; `prisma generate` runs without it.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations", seed: "tsx prisma/seed.ts" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/shelf" },
});
