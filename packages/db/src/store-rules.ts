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
