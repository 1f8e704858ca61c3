import { Prisma, storeRulesByStore, type Db } from "@shelf/db";
import type { SessionUser } from "../../auth/session-user.ts";
import { REPORT_ROLES } from "../../roles.ts";
import type { StoreRef } from "../../trpc.ts";
import type { Cell } from "../../reports/cell.ts";
import type { ChainOverviewInput } from "./schemas.ts";
import { cellsByItemOfStores, sumsByItemDayOfStores } from "../../reports/rollups.ts";
import { flagStatus, type FlagStatus } from "../flags/workflow.ts";
import { summarizeCells } from "../reports/item-summaries.handler.ts";
import { daysBetween, rankByLowerBound } from "./ranking.ts";
import {
  dayCellsOf,
  localDay,
  overviewPeriods,
  overviewProduct,
  reasonsFor,
  storeItemKey,
  type OverviewProduct,
  type OverviewReads,
} from "./store-overview.handler.ts";

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
 * admin), each read as its own overview — its own rules, k and time zone — then merged: the same numbers as
 * `storeOverview` of each store (test/integration/chain-overview.test.ts). The stores are read together, a
 * handful of statements for all of them (one per store took ~38 ms each: 1.9 s for 50 stores), and only the
 * products shown — each store's top three and the chain's top `limit` — get their sparkline and survey reason.
 */
export async function chainOverview(
  { ctx, input }: { ctx: { db: Db; user: SessionUser }; input: ChainOverviewInput },
  now = Date.now(),
): Promise<ChainOverview> {
  const { db, user } = ctx;
  const select = { id: true, slug: true, name: true, timezone: true } as const;
  const listed: StoreRef[] = user.isSuperAdmin
    ? await db.store.findMany({ orderBy: { name: "asc" }, take: CHAIN_MAX_STORES + 1, select })
    : (
        await db.membership.findMany({
          where: { userId: user.id, role: { in: [...REPORT_ROLES] } },
          orderBy: { store: { name: "asc" } },
          take: CHAIN_MAX_STORES + 1,
          select: { store: { select } },
        })
      ).map((m) => m.store);
  const truncated = listed.length > CHAIN_MAX_STORES;
  const stores = listed.slice(0, CHAIN_MAX_STORES).map((store) => ({
    store,
    ...overviewPeriods(now, input.days, store.timezone),
  }));
  if (stores.length === 0) return { days: input.days, stores: [], products: [], truncated };
  const ids = stores.map((s) => s.store.id);
  const filters = (period: "current" | "previous") =>
    stores.map((s) => ({ storeId: s.store.id, timeZone: s.store.timezone, ...s[period] }));
  // Each store's products as itemSummaries lists them: on its planogram, or with rows in the period; by name
  // (one list sorted by the database, each store's filtered from it, keeps the database's order).
  const onStores = { slots: { some: { zone: { storeId: { in: ids } } } } };
  const itemFields = { id: true, sku: true, name: true, category: true } as const;
  const [rulesOf, cur, prev, openFlags, planogram, planogramItems] = await Promise.all([
    storeRulesByStore(db, ids),
    cellsByItemOfStores(db, filters("current")),
    cellsByItemOfStores(db, filters("previous")),
    // The stores' open flags (itemSummaries' `flagged`, listFlags' open ones with their workflow state).
    db.flag.findMany({
      where: { storeId: { in: ids }, clearedAt: null },
      select: {
        id: true,
        storeId: true,
        itemId: true,
        clearedAt: true,
        acknowledgedAt: true,
        resolvedAt: true,
      },
    }),
    db.$queryRaw<{ storeId: string; itemId: string }[]>`
      SELECT DISTINCT z."storeId", s."itemId" FROM "PlanogramSlot" s JOIN "ShelfZone" z ON z.id = s."zoneId"
      WHERE z."storeId" IN (${Prisma.join(ids)})`,
    db.item.findMany({ where: onStores, orderBy: { name: "asc" }, select: itemFields }),
  ]);
  const onPlanogram = new Set(planogram.map((p) => storeItemKey(p.storeId, p.itemId)));
  // Products with rows but on none of these planograms (rare): the list read again with them, by name.
  const onList = new Set(planogramItems.map((i) => i.id));
  const extra = [
    ...new Set(
      [...cur.values(), ...prev.values()].flatMap((cells) =>
        [...cells.keys()].filter((id): id is string => id !== null && !onList.has(id)),
      ),
    ),
  ];
  const catalogue = extra.length
    ? await db.item.findMany({
        where: { OR: [onStores, { id: { in: extra } }] },
        orderBy: { name: "asc" },
        select: itemFields,
      })
    : planogramItems;
  const itemsOf = (storeId: string, cells: ReadonlyMap<string | null, Cell>) =>
    catalogue.filter((i) => cells.has(i.id) || onPlanogram.has(storeItemKey(storeId, i.id)));
  const flagsOf = new Map(ids.map((id) => [id, new Map<string, { flagId: string; status: FlagStatus }>()]));
  for (const f of openFlags) flagsOf.get(f.storeId)!.set(f.itemId, { flagId: f.id, status: flagStatus(f) });

  const ranked = stores.map(({ store }) => {
    const rules = rulesOf.get(store.id)!;
    const flagged = new Set(flagsOf.get(store.id)!.keys());
    const summarize = (cells: ReadonlyMap<string | null, Cell> = new Map()) =>
      summarizeCells(itemsOf(store.id, cells), cells, rules, flagged);
    return {
      store,
      rules,
      top: rankByLowerBound(summarize(cur.get(store.id))).slice(0, input.limit),
      previous: new Map(summarize(prev.get(store.id)).map((p) => [p.itemId, p])),
    };
  });
  // The chain's products: every store's ranked list, merged by the bound (a stable sort: ties keep the stores'
  // order and each store's ranking), as the per-store overviews merged.
  const chainTop = ranked
    .flatMap((o) => o.top.map((r) => ({ o, r })))
    .sort((a, b) => b.r.rejection.lower - a.r.rejection.lower || b.r.n - a.r.n)
    .slice(0, input.limit);
  // Shown: each store's top three and the chain's top products.
  const shown = new Map<string, { o: (typeof ranked)[number]; r: (typeof ranked)[number]["top"][number] }>();
  for (const o of ranked)
    for (const r of o.top.slice(0, 3)) shown.set(storeItemKey(o.store.id, r.itemId), { o, r });
  for (const x of chainTop) shown.set(storeItemKey(x.o.store.id, x.r.itemId), x);
  const shownOf = (storeId: string) =>
    [...shown.values()].filter((x) => x.o.store.id === storeId).map((x) => x.r.itemId);
  const [dayRows, reasons] = await Promise.all([
    sumsByItemDayOfStores(
      db,
      stores.map((s) => ({
        storeId: s.store.id,
        timeZone: s.store.timezone,
        ...s.current,
        itemIds: shownOf(s.store.id),
      })),
    ),
    reasonsFor(
      db,
      [...shown.values()].map(({ o, r }) => ({
        storeId: o.store.id,
        item: { id: r.itemId, category: r.category },
        k: o.rules.k,
      })),
    ),
  ]);
  const dayRowsOf = new Map<string, typeof dayRows>(ids.map((id) => [id, []]));
  for (const r of dayRows) dayRowsOf.get(r.storeId)!.push(r);
  const readsOf = new Map(
    stores.map((s, i) => {
      const o = ranked[i]!;
      const reads: OverviewReads = {
        rules: o.rules,
        days: daysBetween(
          localDay(s.current.from, s.store.timezone),
          localDay(new Date(s.current.to.getTime() - 1), s.store.timezone),
        ),
        previous: o.previous,
        dayCells: dayCellsOf(dayRowsOf.get(s.store.id)!),
        flags: flagsOf.get(s.store.id)!,
        reasons,
      };
      return [s.store.id, reads];
    }),
  );
  const product = (o: (typeof ranked)[number], r: (typeof ranked)[number]["top"][number]) =>
    overviewProduct(o.store.id, r, readsOf.get(o.store.id)!);
  return {
    days: input.days,
    stores: ranked.map((o) => {
      const flags = [...flagsOf.get(o.store.id)!.values()];
      return {
        store: o.store,
        k: o.rules.k,
        days: readsOf.get(o.store.id)!.days,
        top: o.top.slice(0, 3).map((r) => product(o, r)),
        flags: {
          new: flags.filter((f) => f.status === "new").length,
          acknowledged: flags.filter((f) => f.status === "acknowledged").length,
          resolvedOpen: flags.filter((f) => f.status === "resolved-open").length,
        },
      };
    }),
    products: chainTop.map(({ o, r }) => ({ ...product(o, r), store: o.store })),
    truncated,
  };
}
