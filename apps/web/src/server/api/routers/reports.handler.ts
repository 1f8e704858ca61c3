import { EXPRESSIONS, type Expression } from "@shelf/core";
import type { Db } from "@shelf/db";
import { NotFoundError } from "../trpc.ts";
import type { ItemSummaryInput } from "./reports.schema.ts";

export interface ItemSummary {
  itemId: string;
  sku: string;
  name: string;
  category: string;
  interactions: number;
  /** Share of interactions per dominant expression, EXPRESSIONS order; null when hidden (n < k). */
  mix: Record<Expression, number> | null;
  meanValence: number | null;
  hidden: boolean;
}

/**
 * Items of a store with their interaction counts and expression mix, read from the hourly rollups (never
 * the raw interactions). Items with fewer than k interactions show a count but no mix (k-anonymity).
 */
export async function itemSummaries({ db, input }: { db: Db; input: ItemSummaryInput }): Promise<{
  store: { id: string; name: string; slug: string };
  k: number;
  items: ItemSummary[];
}> {
  const store = await db.store.findUnique({ where: { slug: input.storeSlug }, include: { settings: true } });
  if (!store) throw new NotFoundError(`store "${input.storeSlug}"`);
  const k = store.settings?.kAnonymity ?? 5;
  const items = await db.item.findMany({
    where: { slots: { some: { zone: { storeId: store.id } } } },
    orderBy: { name: "asc" },
  });
  const groups = await db.hourlyRollup.groupBy({
    by: ["itemId", "expression"],
    where: { storeId: store.id, itemId: { not: null } },
    _sum: { count: true, valenceSum: true },
  });
  const byItem = new Map<string, { counts: Record<Expression, number>; valence: number }>();
  for (const g of groups) {
    const entry = byItem.get(g.itemId!) ?? {
      counts: Object.fromEntries(EXPRESSIONS.map((e) => [e, 0])) as Record<Expression, number>,
      valence: 0,
    };
    entry.counts[g.expression] += g._sum.count ?? 0;
    entry.valence += g._sum.valenceSum ?? 0;
    byItem.set(g.itemId!, entry);
  }
  return {
    store: { id: store.id, name: store.name, slug: store.slug },
    k,
    items: items.map((item) => {
      const entry = byItem.get(item.id);
      const n = entry ? EXPRESSIONS.reduce((a, e) => a + entry.counts[e], 0) : 0;
      const hidden = n < k;
      return {
        itemId: item.id,
        sku: item.sku,
        name: item.name,
        category: item.category,
        interactions: n,
        hidden,
        mix:
          hidden || !entry
            ? null
            : (Object.fromEntries(EXPRESSIONS.map((e) => [e, entry.counts[e] / n])) as Record<
                Expression,
                number
              >),
        meanValence: hidden || !entry ? null : entry.valence / n,
      };
    }),
  };
}
