import type { PrismaClient as Db } from "./generated/prisma/client.ts";
import { dropInteractionPartitionsBefore } from "./partitions.ts";

/** Retention of a store without a settings row, days (StoreSettings.retentionDays' default). */
export const DEFAULT_RETENTION_DAYS = 90;
/**
 * Hourly rollups older than this are merged into one row per store-local day, days. An hour × zone × item ×
 * expression cell often holds one or two shoppers; kept for ever it would let anyone with a report range
 * of that hour single them out (reports read whole days anyway).
 */
export const ROLLUP_HOURLY_DAYS = 35;
/** A survey invite that was never used is deleted this long after it expired, days (it links nothing). */
export const UNUSED_INVITE_DAYS = 7;
/** Audit entries (they name users and their emails) are deleted after this many days. */
export const AUDIT_RETENTION_DAYS = 400;
/** A camera's face-blurred calibration snapshot is cleared this long after it was taken, days. */
export const SNAPSHOT_RETENTION_DAYS = 30;

export interface RetentionOptions {
  /** Default: now. */
  now?: Date;
  /** Rows deleted per statement, so no delete holds long locks. Default 5 000. */
  batchSize?: number;
  /** Only this store; default every store (and then also audit entries that belong to no store). */
  storeId?: string;
}

export interface RetentionResult {
  storeId: string;
  /** Rows that started (interactions) or were created (responses) before this were deleted. */
  cutoff: Date;
  /** Interactions deleted: row by row, plus the store's rows in the month partitions dropped. */
  interactions: number;
  /** Month partitions of "Interaction" dropped in this run that held rows of this store. */
  partitionsDropped: string[];
  surveyResponses: number;
  /** Survey invites deleted (with their consents and responses): older than the cutoff, or unused. */
  invites: number;
  /** Audit entries older than {@link AUDIT_RETENTION_DAYS}. */
  auditEntries: number;
  /** Calibration snapshots cleared (older than {@link SNAPSHOT_RETENTION_DAYS}). */
  snapshots: number;
  /** Hourly rollup rows merged into daily rows (older than {@link ROLLUP_HOURLY_DAYS}). */
  rollupsMerged: number;
}

/**
 * The retention job, per store:
 * - interactions and survey responses older than the store's retention period (StoreSettings.retentionDays,
 *   else {@link DEFAULT_RETENTION_DAYS}) are deleted. Interactions are partitioned by month: when the job
 *   runs for every store, each month partition that ends before every store's cutoff (the chain's longest
 *   retention) is dropped whole; the rest of a store's expired rows (months that other stores still keep,
 *   and the current partial month) are deleted row by row, in batches;
 * - survey invites older than that period are deleted with their consents (a consent is kept exactly as
 *   long as the answers it covers), and unused invites {@link UNUSED_INVITE_DAYS} after they expired;
 * - hourly rollups older than {@link ROLLUP_HOURLY_DAYS} are merged into one row per store-local day (the
 *   row at the day's first instant), so small hour cells do not stay for ever; daily totals are unchanged;
 * - face-blurred calibration snapshots older than {@link SNAPSHOT_RETENTION_DAYS} are cleared (the agent
 *   stores a fresh one while the camera runs);
 * - audit entries older than {@link AUDIT_RETENTION_DAYS} are deleted (they name users and emails).
 * Deletes run in batches; what was deleted is recorded in the audit log. Rejection scores and flags stay.
 *
 * Idempotent and safe to run concurrently with the workers (an interaction is only ever inserted with a
 * recent start, and rollups only for recent hours). Depends on @shelf/db alone, so the worker schedules it.
 */
export async function deleteExpiredData(db: Db, options: RetentionOptions = {}): Promise<RetentionResult[]> {
  const now = options.now ?? new Date();
  const batch = options.batchSize ?? 5000;
  const stores = await db.store.findMany({
    where: options.storeId ? { id: options.storeId } : {},
    select: { id: true, timezone: true, settings: { select: { retentionDays: true } } },
  });
  const cutoffOf = (store: (typeof stores)[number]) =>
    new Date(now.getTime() - (store.settings?.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86_400_000);
  // Whole months only when every store was read: a store left out might keep them longer.
  const dropped =
    options.storeId || stores.length === 0
      ? []
      : await dropInteractionPartitionsBefore(
          db,
          new Date(Math.min(...stores.map((s) => cutoffOf(s).getTime()))),
        );
  const results: RetentionResult[] = [];
  for (const store of stores) {
    const days = store.settings?.retentionDays ?? DEFAULT_RETENTION_DAYS;
    const cutoff = cutoffOf(store);
    const partitionsDropped = dropped.filter((p) => p.rowsByStore.has(store.id)).map((p) => p.name);
    let interactions = dropped.reduce((sum, p) => sum + (p.rowsByStore.get(store.id) ?? 0), 0);
    for (;;) {
      // Deleted by key (id, startedAt) with the cutoff repeated, so only the expired months are searched.
      const n = await db.$executeRaw`
        WITH doomed AS (
          SELECT id, "startedAt" FROM "Interaction"
          WHERE "storeId" = ${store.id} AND "startedAt" < ${cutoff}::timestamp LIMIT ${batch}
        )
        DELETE FROM "Interaction" i USING doomed
        WHERE i.id = doomed.id AND i."startedAt" = doomed."startedAt" AND i."startedAt" < ${cutoff}::timestamp`;
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
    let invites = 0;
    const unusedCutoff = new Date(now.getTime() - UNUSED_INVITE_DAYS * 86_400_000);
    for (;;) {
      const n = await db.$executeRaw`
        WITH doomed AS (
          SELECT v.id FROM "SurveyInvite" v
          WHERE v."storeId" = ${store.id} AND (
            v."createdAt" < ${cutoff}::timestamp
            OR (v."usedAt" IS NULL AND v."expiresAt" < ${unusedCutoff}::timestamp
              AND NOT EXISTS (SELECT 1 FROM "Consent" c WHERE c."inviteId" = v.id)
              AND NOT EXISTS (SELECT 1 FROM "SurveyResponse" r WHERE r."inviteId" = v.id))
          )
          LIMIT ${batch}
        )
        DELETE FROM "SurveyInvite" v USING doomed WHERE v.id = doomed.id`;
      invites += n;
      if (n < batch) break;
    }
    const rollupsMerged = await mergeOldRollups(
      db,
      store,
      new Date(now.getTime() - ROLLUP_HOURLY_DAYS * 86_400_000),
    );
    const snapshots = (
      await db.camera.updateMany({
        where: {
          storeId: store.id,
          snapshotAt: { lt: new Date(now.getTime() - SNAPSHOT_RETENTION_DAYS * 86_400_000) },
        },
        data: { snapshot: null, snapshotAt: null },
      })
    ).count;
    const auditCutoff = new Date(now.getTime() - AUDIT_RETENTION_DAYS * 86_400_000);
    const auditEntries = (
      await db.auditLog.deleteMany({ where: { storeId: store.id, createdAt: { lt: auditCutoff } } })
    ).count;
    if (interactions || surveyResponses || invites || rollupsMerged || snapshots || auditEntries)
      await db.auditLog.create({
        data: {
          storeId: store.id,
          action: "retention.delete",
          entity: "retention",
          after: {
            cutoff: cutoff.toISOString(),
            retentionDays: days,
            interactions,
            ...(partitionsDropped.length ? { partitionsDropped } : {}),
            surveyResponses,
            invites,
            rollupsMerged,
            snapshots,
            auditEntries,
          },
        },
      });
    results.push({
      storeId: store.id,
      cutoff,
      interactions,
      partitionsDropped,
      surveyResponses,
      invites,
      auditEntries,
      snapshots,
      rollupsMerged,
    });
  }
  if (!options.storeId)
    await db.auditLog.deleteMany({
      where: {
        storeId: null,
        createdAt: { lt: new Date(now.getTime() - AUDIT_RETENTION_DAYS * 86_400_000) },
      },
    });
  return results;
}

/**
 * Merges a store's hourly rollups that started before `before` into one row per store-local day: the rows
 * of each day (except the one at the day's first instant, which receives the sums) are deleted and added
 * onto it, in one statement; the store's hourly totals (StoreHourlyRollup) likewise, in the same transaction. Returns how many
 * HourlyRollup rows were merged away.
 */
async function mergeOldRollups(
  db: Db,
  store: { id: string; timezone: string },
  before: Date,
): Promise<number> {
  // An interactive transaction with its own timeout: Prisma 7 runs an array $transaction under the 5 s default
  // with no way to raise it (prisma/orm#29271), and a store's first merge (55 days of hourly rows) outran it on
  // a loaded chain database (bench:web --stores 1000: P2028 on the first store). Minutes are fine for the hourly
  // maintenance job; the rows it rewrites are a store's hours older than 35 days, which workers no longer touch.
  return db.$transaction((tx) => mergeOldRollupsIn(tx, store, before), {
    maxWait: 30_000,
    timeout: MERGE_TIMEOUT_MS,
  });
}

/** How long one store's rollup merge may take before it is rolled back, ms. */
export const MERGE_TIMEOUT_MS = 10 * 60_000;

async function mergeOldRollupsIn(
  db: Pick<Db, "$queryRaw" | "$executeRaw">,
  store: { id: string; timezone: string },
  before: Date,
): Promise<number> {
  // hour is a UTC wall clock; its store-local day's first instant, as a UTC wall clock again.
  const [row] = await db.$queryRaw<{ n: number }[]>`
    WITH moved AS (
      DELETE FROM "HourlyRollup" r
      WHERE r."storeId" = ${store.id} AND r.hour < ${before}::timestamp
        AND r.hour <> (date_trunc('day', (r.hour AT TIME ZONE 'UTC') AT TIME ZONE ${store.timezone}) AT TIME ZONE ${store.timezone}) AT TIME ZONE 'UTC'
      RETURNING r.*
    ), merged AS (
    INSERT INTO "HourlyRollup" (id, "storeId", "zoneId", "itemKey", "itemId", hour, expression, count,
      "hesitationCount", "dwellMsSum", "valenceSum")
    SELECT gen_random_uuid()::text, "storeId", "zoneId", "itemKey", "itemId",
      (date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE ${store.timezone}) AT TIME ZONE ${store.timezone}) AT TIME ZONE 'UTC',
      expression, SUM(count), SUM("hesitationCount"), SUM("dwellMsSum"), SUM("valenceSum")
    FROM moved
    GROUP BY 2, 3, 4, 5, 6, 7
    ON CONFLICT ("storeId", "zoneId", "itemKey", hour, expression) DO UPDATE SET
      count = "HourlyRollup".count + EXCLUDED.count,
      "hesitationCount" = "HourlyRollup"."hesitationCount" + EXCLUDED."hesitationCount",
      "dwellMsSum" = "HourlyRollup"."dwellMsSum" + EXCLUDED."dwellMsSum",
      "valenceSum" = "HourlyRollup"."valenceSum" + EXCLUDED."valenceSum"
    RETURNING 1
    )
    SELECT (SELECT count(*) FROM moved)::int AS n`;
  // The store's totals per hour (StoreHourlyRollup) merged the same way, in the same transaction, so they stay
  // HourlyRollup's sums summed over zones and items.
  await db.$executeRaw`
    WITH moved AS (
      DELETE FROM "StoreHourlyRollup" r
      WHERE r."storeId" = ${store.id} AND r.hour < ${before}::timestamp
        AND r.hour <> (date_trunc('day', (r.hour AT TIME ZONE 'UTC') AT TIME ZONE ${store.timezone}) AT TIME ZONE ${store.timezone}) AT TIME ZONE 'UTC'
      RETURNING r.*
    )
    INSERT INTO "StoreHourlyRollup" (id, "storeId", hour, expression, count, "hesitationCount", "dwellMsSum",
      "valenceSum")
    SELECT gen_random_uuid()::text, "storeId",
      (date_trunc('day', (hour AT TIME ZONE 'UTC') AT TIME ZONE ${store.timezone}) AT TIME ZONE ${store.timezone}) AT TIME ZONE 'UTC',
      expression, SUM(count), SUM("hesitationCount"), SUM("dwellMsSum"), SUM("valenceSum")
    FROM moved
    GROUP BY 2, 3, 4
    ON CONFLICT ("storeId", hour, expression) DO UPDATE SET
      count = "StoreHourlyRollup".count + EXCLUDED.count,
      "hesitationCount" = "StoreHourlyRollup"."hesitationCount" + EXCLUDED."hesitationCount",
      "dwellMsSum" = "StoreHourlyRollup"."dwellMsSum" + EXCLUDED."dwellMsSum",
      "valenceSum" = "StoreHourlyRollup"."valenceSum" + EXCLUDED."valenceSum"`;
  return row?.n ?? 0;
}
