import type { StoreContext } from "../../trpc.ts";
import { storeRules } from "../../reports/rules.ts";
import { type FlaggedItemsInput } from "./schemas.ts";

export interface FlaggedItem {
  flagId: string;
  item: { id: string; sku: string; name: string; category: string };
  raisedAt: Date;
  clearedAt: Date | null;
  /** Why the flag was raised: the numbers at that moment (rates 0–1, window in hours). */
  reason: {
    rate: number;
    lower: number;
    upper: number;
    n: number;
    negatives: number;
    threshold: number;
    /** global | category | item: which rule applied. */
    thresholdLevel: string;
    windowHours: number;
  } | null;
  /** The worker's latest score of the item (null when hidden: n < k, or not scored yet). */
  current: { rate: number; lower: number; upper: number; n: number; computedAt: Date } | null;
}

/**
 * Items flagged for rejection in a store, open flags ranked by the lower bound of their rejection rate (most
 * certainly rejected first), with the reason each was raised, then flags cleared recently.
 */
export async function flaggedItems({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: FlaggedItemsInput;
}): Promise<{ store: StoreContext["store"]; k: number; open: FlaggedItem[]; cleared: FlaggedItem[] }> {
  const { db, store } = ctx;
  const since = new Date(Date.now() - input.clearedWithinDays * 86_400_000);
  const item = { select: { id: true, sku: true, name: true, category: true } } as const;
  const [rules, open, cleared] = await Promise.all([
    storeRules(db, store.id),
    db.flag.findMany({ where: { storeId: store.id, clearedAt: null }, include: { item } }),
    db.flag.findMany({
      where: { storeId: store.id, clearedAt: { gte: since } },
      orderBy: { clearedAt: "desc" },
      take: 100,
      include: { item },
    }),
  ]);
  const scores = await db.rejectionScore.findMany({
    where: { storeId: store.id, itemId: { in: [...new Set([...open, ...cleared].map((f) => f.itemId))] } },
  });
  const scoreOf = new Map(scores.map((s) => [s.itemId, s]));
  const view = (f: (typeof open)[number]): FlaggedItem => {
    const s = scoreOf.get(f.itemId);
    return {
      flagId: f.id,
      item: f.item,
      raisedAt: f.raisedAt,
      clearedAt: f.clearedAt,
      reason:
        f.n < rules.k
          ? null
          : {
              rate: f.rate,
              lower: f.lower,
              upper: f.upper,
              n: f.n,
              negatives: f.negatives,
              threshold: f.threshold,
              thresholdLevel: f.thresholdLevel,
              windowHours: f.windowHours,
            },
      current:
        s && s.n >= rules.k
          ? { rate: s.rate, lower: s.lower, upper: s.upper, n: s.n, computedAt: s.computedAt }
          : null,
    };
  };
  // Rank by today's certainty when known, else by the bound at raising time.
  const rank = (f: FlaggedItem) => f.current?.lower ?? f.reason?.lower ?? 0;
  return {
    store,
    k: rules.k,
    open: open.map(view).sort((a, b) => rank(b) - rank(a) || b.raisedAt.getTime() - a.raisedAt.getTime()),
    cleared: cleared.map(view),
  };
}
