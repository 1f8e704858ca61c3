import type { Db, Role } from "@shelf/db";
import { createPasswordUser, normaliseEmail, setPassword } from "./users.ts";

/**
 * One demo account per role in the demo store, plus a super admin. DEMO ONLY: the passwords are public
 * (README); never seed them into a production database.
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

/**
 * Creates (or resets) the demo accounts and their roles in the store `storeSlug`. Idempotent: run it after
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
    const id = existing
      ? (
          await db.user.update({
            where: { id: existing.id },
            data: { name: u.name, isSuperAdmin: u.isSuperAdmin },
          })
        ).id
      : (
          await createPasswordUser(db, {
            email,
            name: u.name,
            password: u.password,
            isSuperAdmin: u.isSuperAdmin,
          })
        ).id;
    if (existing) await setPassword(db, id, u.password);
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
