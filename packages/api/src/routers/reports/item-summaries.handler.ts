import type { StoreContext } from "../../trpc.ts";
import { Cell, cellStatsWithComplements, type CellStats, type RollupSums } from "../../reports/cell.ts";
import { snapToStoreDays } from "../../reports/day-range.ts";
import { resolveRange, type DateRange } from "../../reports/range.ts";
import { sumsByItem } from "../../reports/rollups.ts";
import { storeRules, type StoreRules } from "../../reports/rules.ts";
import type { ItemSummariesInput } from "./schemas.ts";

export interface ItemSummary extends CellStats {
  itemId: string;
  sku: string;
  name: string;
  category: string;
  /** The item has an open rejection flag in this store. */
  flagged: boolean;
}

export interface ItemSummaries {
  store: StoreContext["store"];
  k: number;
  range: DateRange;
  items: ItemSummary[];
}

/**
 * The store's products (on its planogram, or with interactions in the range) with their interaction count,
 * expression mix, valence, dwell and rejection rate over the range, read from the rollups. Products
 * with fewer than k interactions show their count only, and so does the next smallest when the hidden ones
 * could otherwise be derived from a total (complementary suppression). The range is whole store days.
 */
export async function itemSummaries({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: ItemSummariesInput;
}): Promise<ItemSummaries> {
  const { db, store } = ctx;
  const range = snapToStoreDays(resolveRange(input), store.timezone);
  const [rules, rows, flags] = await Promise.all([
    storeRules(db, store.id),
    sumsByItem(db, { storeId: store.id, ...range }, store.timezone),
    db.flag.findMany({ where: { storeId: store.id, clearedAt: null }, select: { itemId: true } }),
  ]);
  const items = await db.item.findMany({
    where: {
      OR: [
        { slots: { some: { zone: { storeId: store.id } } } },
        { id: { in: [...new Set(rows.flatMap((r) => (r.itemId ? [r.itemId] : [])))] } },
      ],
    },
    orderBy: { name: "asc" },
    select: { id: true, sku: true, name: true, category: true },
  });
  return {
    store,
    k: rules.k,
    range,
    items: summarizeItems(items, rows, rules, new Set(flags.map((f) => f.itemId))),
  };
}

/**
 * The products' summaries from their rollup sums (rows at no product are left out) under the store's rules,
 * in the order of `items` — the store's products, on its planogram or with rows in the range, by name. Pure:
 * `itemSummaries` reads one store, the chain overview many at once ({@link summarizeCells}).
 */
export function summarizeItems(
  items: readonly { id: string; sku: string; name: string; category: string }[],
  rows: readonly (RollupSums & { itemId: string | null })[],
  rules: StoreRules,
  flagged: ReadonlySet<string>,
): ItemSummary[] {
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    if (!row.itemId) continue;
    let cell = cells.get(row.itemId);
    if (!cell) cells.set(row.itemId, (cell = new Cell()));
    cell.add(row);
  }
  return summarizeCells(items, cells, rules, flagged);
}

/** {@link summarizeItems} from each product's sums already added up (a product absent from `cells`: none). */
export function summarizeCells(
  items: readonly { id: string; sku: string; name: string; category: string }[],
  cells: ReadonlyMap<string | null, Cell>,
  rules: StoreRules,
  flagged: ReadonlySet<string>,
): ItemSummary[] {
  // The products add up to the store's product interactions (which other reports show): suppress
  // complementary cells so a hidden product cannot be read off by subtraction.
  const stats = cellStatsWithComplements(
    items.map((item) => cells.get(item.id) ?? new Cell()),
    rules,
  );
  return items.map((item, i) => ({
    itemId: item.id,
    sku: item.sku,
    name: item.name,
    category: item.category,
    flagged: flagged.has(item.id),
    ...stats[i]!,
  }));
}
