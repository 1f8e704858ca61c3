import type { Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { REPORT_ROLES } from "../../packages/api/src/roles.ts";
import type { StoreRef } from "../../packages/api/src/trpc.ts";
import {
  CHAIN_MAX_STORES,
  type ChainOverview,
} from "../../packages/api/src/routers/overview/chain-overview.handler.ts";
import type { ChainOverviewInput } from "../../packages/api/src/routers/overview/schemas.ts";
import {
  storeOverview,
  type StoreOverview,
} from "../../packages/api/src/routers/overview/store-overview.handler.ts";

/**
 * The chain overview as it was before it read its stores together: each store's `storeOverview`, one store
 * at a time, merged. The reference chain-overview.test.ts compares today's handler with.
 */
export async function chainOverviewReference(
  { ctx, input }: { ctx: { db: Db; user: SessionUser }; input: ChainOverviewInput },
  now: number,
): Promise<ChainOverview> {
  const { db, user } = ctx;
  const select = { id: true, slug: true, name: true, timezone: true } as const;
  const stores: StoreRef[] = user.isSuperAdmin
    ? await db.store.findMany({ orderBy: { name: "asc" }, take: CHAIN_MAX_STORES + 1, select })
    : (
        await db.membership.findMany({
          where: { userId: user.id, role: { in: [...REPORT_ROLES] } },
          orderBy: { store: { name: "asc" } },
          take: CHAIN_MAX_STORES + 1,
          select: { store: { select } },
        })
      ).map((m) => m.store);
  const truncated = stores.length > CHAIN_MAX_STORES;
  const overviews: StoreOverview[] = [];
  for (const store of stores.slice(0, CHAIN_MAX_STORES))
    overviews.push(
      await storeOverview(
        { ctx: { db, store }, input: { storeSlug: store.slug, days: input.days, limit: input.limit } },
        now,
      ),
    );
  const products = overviews
    .flatMap((o) => o.products.map((p) => ({ ...p, store: o.store })))
    .sort((a, b) => b.rejection.lower - a.rejection.lower || b.n - a.n)
    .slice(0, input.limit);
  return {
    days: input.days,
    stores: overviews.map((o) => ({
      store: o.store,
      k: o.k,
      days: o.days,
      top: o.products.slice(0, 3),
      flags: {
        new: o.flags.new.length,
        acknowledged: o.flags.acknowledged.length,
        resolvedOpen: o.flags.resolvedOpen.length,
      },
    })),
    products,
    truncated,
  };
}
