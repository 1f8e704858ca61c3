import type { Role } from "@shelf/db";
import type { Context, StoreContext } from "../../trpc.ts";
import type { SessionUser } from "../../auth/session-user.ts";

export interface MyStore {
  slug: string;
  name: string;
  role: Role;
}

/** The signed-in user and the stores they may open (every store, as admin, for a super admin). */
export async function me({ ctx }: { ctx: Pick<Context, "db"> & { user: SessionUser } }): Promise<{
  user: SessionUser;
  stores: MyStore[];
}> {
  const { db, user } = ctx;
  if (user.isSuperAdmin) {
    const stores = await db.store.findMany({ orderBy: { name: "asc" }, select: { slug: true, name: true } });
    return { user, stores: stores.map((s) => ({ ...s, role: "admin" as const })) };
  }
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    include: { store: { select: { slug: true, name: true } } },
    orderBy: { store: { name: "asc" } },
  });
  return { user, stores: memberships.map((m) => ({ slug: m.store.slug, name: m.store.name, role: m.role })) };
}

/** The store and the caller's role in it (for the store's navigation). */
export function storeAccess({ ctx }: { ctx: Pick<StoreContext, "store" | "role"> }): {
  store: StoreContext["store"];
  role: Role;
} {
  return { store: ctx.store, role: ctx.role };
}
