import type { Prisma, PrismaClient } from "./generated/prisma/client.ts";

/**
 * What decides whether an item's survey runs in a store (the rule is `surveyIsActive` in
 * `@shelf/survey-engine`): an operator's start/stop (`SurveyRun`), and whether the item has an open flag.
 */
export async function surveyActivity(
  db: PrismaClient | Prisma.TransactionClient,
  storeId: string,
  itemId: string,
): Promise<{ run: { running: boolean } | null; flagOpen: boolean }> {
  const [run, flag] = await Promise.all([
    db.surveyRun.findUnique({ where: { storeId_itemId: { storeId, itemId } }, select: { running: true } }),
    db.flag.findFirst({ where: { storeId, itemId, clearedAt: null }, select: { id: true } }),
  ]);
  return { run, flagOpen: flag !== null };
}
