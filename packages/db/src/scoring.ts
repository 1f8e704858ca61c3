/**
 * Query helpers for rejection scoring. The scoring itself (what counts, the window, the flag decision) is the
 * worker's (`apps/worker/src/processors/scoring.ts`) on the pure rules of `@shelf/core`.
 */
import type { ExpressionGroup } from "@shelf/core";
import type { Prisma, PrismaClient, Threshold } from "./generated/prisma/client.ts";

type DbOrTx = PrismaClient | Prisma.TransactionClient;

/** Every threshold that may apply in a store: its own and the every-store rules (any order). */
export function storeThresholds(db: DbOrTx, storeId: string): Promise<Threshold[]> {
  return db.threshold.findMany({ where: { OR: [{ storeId }, { storeId: null }] } });
}

/**
 * An item's hourly rollups in a store over `[from, to)`, summed per dominant expression (what
 * `countNegatives` in `@shelf/core` reads).
 */
export async function itemExpressionGroups(
  db: DbOrTx,
  where: { storeId: string; itemId: string; from: Date; to: Date },
): Promise<ExpressionGroup[]> {
  const groups = await db.hourlyRollup.groupBy({
    by: ["expression"],
    where: { storeId: where.storeId, itemId: where.itemId, hour: { gte: where.from, lt: where.to } },
    _sum: { count: true, hesitationCount: true },
  });
  return groups.map((g) => ({
    expression: g.expression,
    count: g._sum.count ?? 0,
    hesitationCount: g._sum.hesitationCount ?? 0,
  }));
}

/** The items of a store with a score or any rollup, in id order (what a whole-store rescore goes through). */
export async function scoredItemIds(db: DbOrTx, storeId: string): Promise<string[]> {
  const [scored, rolled] = await Promise.all([
    db.rejectionScore.findMany({ where: { storeId }, select: { itemId: true } }),
    db.hourlyRollup.findMany({
      where: { storeId, itemId: { not: null } },
      select: { itemId: true },
      distinct: ["itemId"],
    }),
  ]);
  return [...new Set([...scored, ...rolled].flatMap((r) => (r.itemId ? [r.itemId] : [])))].sort();
}

/** The item's open flag in the store (the newest, should two ever exist), or null. */
export function openFlag(db: DbOrTx, storeId: string, itemId: string) {
  return db.flag.findFirst({ where: { storeId, itemId, clearedAt: null }, orderBy: { raisedAt: "desc" } });
}
