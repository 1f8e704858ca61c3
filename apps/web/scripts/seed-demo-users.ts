import { createDb } from "@shelf/db";
import { webEnv } from "@shelf/api/env";
import { DEMO_USERS, seedDemoUsers } from "@shelf/api/auth/demo-users";

// npm run seed:demo-users -w @shelf/web [-- STORE_SLUG]: the demo accounts (README lists them).
const env = webEnv();
const db = createDb({ url: env.DATABASE_URL });
try {
  const slug = process.argv[2] ?? env.DEFAULT_STORE_SLUG;
  await seedDemoUsers(db, slug);
  for (const u of DEMO_USERS) console.log(`${u.role ?? "super admin"}: ${u.email} / ${u.password}`);
} finally {
  await db.$disconnect();
}
