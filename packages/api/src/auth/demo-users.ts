import type { Db, Role } from "@shelf/db";
import { createPasswordUser, normaliseEmail } from "./users.ts";

/**
 * One demo account per role in the demo store, plus a super admin. DEMO ONLY: the passwords are public
 * (README). `npm start -- --production` refuses to run while any of them exists, and a web app in production
 * mode (SHELF_MODE, the default) refuses them at sign-in.
 */
export const DEMO_USERS: readonly {
  email: string;
  name: string;
  password: string;
  role: Role | null;
  isSuperAdmin: boolean;
}[] = [
  {
    email: "merchandiser@shelf.example",
    name: "Mara Merchandiser",
    password: "shelf-demo-merchandiser",
    role: "merchandiser",
    isSuperAdmin: false,
  },
  {
    email: "staff@shelf.example",
    name: "Sami Staff",
    password: "shelf-demo-staff",
    role: "staff",
    isSuperAdmin: false,
  },
  {
    email: "admin@shelf.example",
    name: "Ada Admin",
    password: "shelf-demo-admin",
    role: "admin",
    isSuperAdmin: false,
  },
  {
    email: "super@shelf.example",
    name: "Sol Superadmin",
    password: "shelf-demo-super",
    role: null,
    isSuperAdmin: true,
  },
];

const DEMO_EMAILS = new Set(DEMO_USERS.map((u) => normaliseEmail(u.email)));

/** Whether `email` (normalised) is one of the demo accounts' public addresses. */
export function isDemoEmail(email: string): boolean {
  return DEMO_EMAILS.has(normaliseEmail(email));
}

/**
 * Creates the demo accounts that are missing and gives them their roles in the store `storeSlug`. An account
 * that exists is left as it is (never a password reset, never a super-admin grant). Idempotent: run it after
 * every demo-store seed (the store's memberships go with the store when it is re-created).
 */
export async function seedDemoUsers(
  db: Db,
  storeSlug = "demo",
): Promise<{ email: string; role: Role | null }[]> {
  const store = await db.store.findUnique({ where: { slug: storeSlug }, select: { id: true } });
  if (!store) throw new Error(`store "${storeSlug}" not found: seed the demo store first`);
  const out: { email: string; role: Role | null }[] = [];
  for (const u of DEMO_USERS) {
    const email = normaliseEmail(u.email);
    const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
    const id =
      existing?.id ??
      (
        await createPasswordUser(db, {
          email,
          name: u.name,
          password: u.password,
          isSuperAdmin: u.isSuperAdmin,
        })
      ).id;
    if (u.role)
      await db.membership.upsert({
        where: { userId_storeId: { userId: id, storeId: store.id } },
        create: { userId: id, storeId: store.id, role: u.role },
        update: { role: u.role },
      });
    out.push({ email, role: u.role });
  }
  return out;
}
