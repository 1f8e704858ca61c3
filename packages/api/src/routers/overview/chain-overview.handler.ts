import type { Db } from "@shelf/db";
import type { SessionUser } from "../../auth/session-user.ts";
import { REPORT_ROLES } from "../../roles.ts";
import type { StoreRef } from "../../trpc.ts";
import type { ChainOverviewInput } from "./schemas.ts";
import { storeOverview, type OverviewProduct, type StoreOverview } from "./store-overview.handler.ts";

/** Stores one chain overview reads at most (a super admin of a larger estate picks a store). */
export const CHAIN_MAX_STORES = 50;

export interface ChainOverview {
  days: number;
  /** Per store the caller may read reports of: its top products and open flags by state. */
  stores: {
    store: StoreRef;
    k: number;
    /** The store's days of the period (its own time zone): the sparklines' x axis. */
    days: string[];
    top: OverviewProduct[];
    flags: { new: number; acknowledged: number; resolvedOpen: number };
  }[];
  /** The top products across those stores by the lower bound (each store's own negative set and k). */
  products: (OverviewProduct & { store: StoreRef })[];
  /** More stores than CHAIN_MAX_STORES: the rest are left out. */
  truncated: boolean;
}

/**
 * The chain's overview: every store where the caller is a merchandiser or admin (every store for a super
 * admin), each read as its own overview — its own rules, k and time zone — then merged.
 */
export async function chainOverview(
  { ctx, input }: { ctx: { db: Db; user: SessionUser }; input: ChainOverviewInput },
  now = Date.now(),
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
  // One store at a time: each overview already runs its reads in parallel.
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
