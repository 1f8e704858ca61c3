import type { PrismaClient as Db } from "./generated/prisma/client.ts";

/** Retention of a store without a settings row, days (StoreSettings.retentionDays' default). */
export const DEFAULT_RETENTION_DAYS = 90;

export interface RetentionOptions {
  /** Default: now. */
  now?: Date;
  /** Rows deleted per statement, so no delete holds long locks. Default 5 000. */
  batchSize?: number;
  /** Only this store; default every store. */
  storeId?: string;
}

export interface RetentionResult {
  storeId: string;
  /** Rows that started (interactions) or were created (responses) before this were deleted. */
  cutoff: Date;
  interactions: number;
  surveyResponses: number;
}

/**
 * The retention job: deletes each store's interactions and survey responses older than its retention period
 * (StoreSettings.retentionDays, else {@link DEFAULT_RETENTION_DAYS}), in batches, and records what it
 * deleted in the audit log. Hourly rollups, rejection scores and flags are anonymous aggregates and stay, so
 * long-range reports keep working; consents stay as the record of what shoppers agreed to.
 *
 * Idempotent and safe to run concurrently with the workers (an interaction is only ever inserted with a
 * recent start). Depends on @shelf/db alone, so the worker can schedule it (e.g. a BullMQ repeatable job,
 * hourly); move it into a package if that reads better.
 */
export async function deleteExpiredData(db: Db, options: RetentionOptions = {}): Promise<RetentionResult[]> {
  const now = options.now ?? new Date();
  const batch = options.batchSize ?? 5000;
  const stores = await db.store.findMany({
    where: options.storeId ? { id: options.storeId } : {},
    select: { id: true, settings: { select: { retentionDays: true } } },
  });
  const results: RetentionResult[] = [];
  for (const store of stores) {
    const days = store.settings?.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const cutoff = new Date(now.getTime() - days * 86_400_000);
    let interactions = 0;
    for (;;) {
      const n = await db.$executeRaw`
        WITH doomed AS (
          SELECT id FROM "Interaction" WHERE "storeId" = ${store.id} AND "startedAt" < ${cutoff}::timestamp LIMIT ${batch}
        )
        DELETE FROM "Interaction" i USING doomed WHERE i.id = doomed.id`;
      interactions += n;
      if (n < batch) break;
    }
    let surveyResponses = 0;
    for (;;) {
      const n = await db.$executeRaw`
        WITH doomed AS (
          SELECT r.id FROM "SurveyResponse" r JOIN "SurveyInvite" v ON v.id = r."inviteId"
          WHERE v."storeId" = ${store.id} AND r."createdAt" < ${cutoff}::timestamp LIMIT ${batch}
        )
        DELETE FROM "SurveyResponse" r USING doomed WHERE r.id = doomed.id`;
      surveyResponses += n;
      if (n < batch) break;
    }
    if (interactions || surveyResponses)
      await db.auditLog.create({
        data: {
          storeId: store.id,
          action: "retention.delete",
          entity: "retention",
          after: { cutoff: cutoff.toISOString(), retentionDays: days, interactions, surveyResponses },
        },
      });
    results.push({ storeId: store.id, cutoff, interactions, surveyResponses });
  }
  return results;
}
