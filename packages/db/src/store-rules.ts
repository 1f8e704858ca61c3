import { storeRulesOf, type StoreRules } from "@shelf/core";
import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * A store's rules (its `StoreSettings` row over the product defaults, see `storeRulesOf` in `@shelf/core`):
 * the one reader of store settings for scoring, reports, the live view and survey triggers.
 */
export async function storeRules(
  db: PrismaClient | Prisma.TransactionClient,
  storeId: string,
): Promise<StoreRules> {
  return storeRulesOf(await db.storeSettings.findUnique({ where: { storeId } }));
}

/** Several stores' rules in one read (the chain overview), as {@link storeRules} reads each. */
export async function storeRulesByStore(
  db: PrismaClient | Prisma.TransactionClient,
  storeIds: readonly string[],
): Promise<Map<string, StoreRules>> {
  const rows = await db.storeSettings.findMany({ where: { storeId: { in: [...storeIds] } } });
  const rowOf = new Map(rows.map((r) => [r.storeId, r]));
  return new Map(storeIds.map((id) => [id, storeRulesOf(rowOf.get(id) ?? null)]));
}
