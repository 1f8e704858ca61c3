import { createDb, DEMO_STORES } from "@shelf/db";
import { webEnv } from "@shelf/api/env";
import { DEMO_USERS, seedDemoUsers } from "@shelf/api/auth/demo-users";

// npm run seed:demo-users -w @shelf/web [-- STORE_SLUG]: the demo accounts (README lists them), with their roles
// in the given store (default DEFAULT_STORE_SLUG) and in every other store of the demo chain that exists.
const env = webEnv();
const db = createDb({ url: env.DATABASE_URL });
try {
  const slug = process.argv[2] ?? env.DEFAULT_STORE_SLUG;
  await seedDemoUsers(db, slug);
  const others = await db.store.findMany({
    where: { slug: { in: DEMO_STORES.map((s) => s.slug).filter((s) => s !== slug) } },
    select: { slug: true },
  });
  for (const s of others) await seedDemoUsers(db, s.slug);
  for (const u of DEMO_USERS) console.log(`${u.role ?? "super admin"}: ${u.email} / ${u.password}`);
} finally {
  await db.$disconnect();
}
