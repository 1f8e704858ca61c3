import "server-only";
import { createDb, type Db } from "@shelf/db";
import { webEnv } from "./env.ts";

const globalForDb = globalThis as unknown as { shelfDb?: Db };

/** One Prisma client per server process (kept across dev hot reloads). */
export function db(): Db {
  globalForDb.shelfDb ??= createDb({ url: webEnv().DATABASE_URL });
  return globalForDb.shelfDb;
}
