import { createDb } from "@shelf/db";
import { webEnv } from "@shelf/api/env";
import { DEMO_USERS } from "@shelf/api/auth/demo-users";
import { normaliseEmail } from "@shelf/api/auth/users";

// npm run demo:check -w @shelf/web: lists the demo accounts (public passwords, README) present in DATABASE_URL
// and exits 1 if there is any. `npm start -- --production` runs it and refuses to start on a 1.
const db = createDb({ url: webEnv().DATABASE_URL });
try {
  const found = await db.user.findMany({
    where: { email: { in: DEMO_USERS.map((u) => normaliseEmail(u.email)) } },
    select: { email: true, isSuperAdmin: true },
    orderBy: { email: "asc" },
  });
  for (const u of found) console.log(`${u.email}${u.isSuperAdmin ? " (super admin)" : ""}`);
  process.exitCode = found.length ? 1 : 0;
} finally {
  await db.$disconnect();
}
