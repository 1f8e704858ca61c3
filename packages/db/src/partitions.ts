import type { PrismaClient as Db } from "./generated/prisma/client.ts";

/**
 * "Interaction" is partitioned by UTC calendar month of "startedAt" (migration
 * 20261201060000_interaction_partitions): one partition per month, named `Interaction_y2026m12`, plus
 * `Interaction_default` for rows whose month has no partition yet. The SQL function
 * `interaction_partition_create(month)` that the migration defines is the one place that names, fills and
 * attaches a month's partition; this module calls it and drops whole months for retention.
 */

/** Months created ahead of the current one by {@link ensureInteractionPartitions}. */
export const INTERACTION_PARTITIONS_AHEAD = 2;

/** How long dropping a partition waits for the parent's lock before it gives up until the next run, ms. */
export const PARTITION_LOCK_TIMEOUT_MS = 5_000;

/** One month partition of "Interaction": rows with from ≤ startedAt < to (UTC wall clock). */
export interface InteractionPartition {
  name: string;
  from: Date;
  to: Date;
}

/** The first instant of the UTC month `offset` months after `at`'s. */
export function utcMonth(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** A Date as the UTC wall clock PostgreSQL's TIMESTAMP(3) columns hold ("2026-12-01 00:00:00.000"). */
function wallClock(at: Date): string {
  return at.toISOString().replace("T", " ").replace("Z", "");
}

/**
 * The range partitions of "Interaction", oldest first, with their bounds as PostgreSQL reports them (the
 * default partition, and any partition without a FROM … TO bound, is left out: it is never dropped).
 */
export async function listInteractionPartitions(db: Db): Promise<InteractionPartition[]> {
  const rows = await db.$queryRaw<{ name: string; from: Date; to: Date }[]>`
    SELECT c.relname AS name, b[1]::timestamp AS "from", b[2]::timestamp AS "to"
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), $re$FROM [(]'([^']+)'[)] TO [(]'([^']+)'[)]$re$) b
    WHERE i.inhparent = '"Interaction"'::regclass AND b IS NOT NULL
    ORDER BY 2`;
  return rows;
}

export interface EnsurePartitionsResult {
  /** Partitions created by this call. */
  created: string[];
  /** Rows found in the default partition and moved into their month's new partition. */
  movedFromDefault: number;
}

/**
 * Creates the partitions of the current UTC month and the `ahead` next ones when missing, and one for every
 * month that has rows in the default partition (moving them there), so the default partition stays empty
 * and a month's partition exists before its first row. Idempotent; safe in several processes at once (the
 * SQL function serialises callers with an advisory lock).
 * @param options.now - Default: now.
 * @param options.ahead - Months after the current one. Default {@link INTERACTION_PARTITIONS_AHEAD}.
 * @param options.from - Also every month from this one on (a seed that writes history). Default: none.
 */
export async function ensureInteractionPartitions(
  db: Db,
  options: { now?: Date; ahead?: number; from?: Date } = {},
): Promise<EnsurePartitionsResult> {
  const now = options.now ?? new Date();
  const ahead = options.ahead ?? INTERACTION_PARTITIONS_AHEAD;
  const stray = await db.$queryRaw<{ month: Date; n: bigint }[]>`
    SELECT date_trunc('month', "startedAt") AS month, count(*) AS n FROM "Interaction_default" GROUP BY 1`;
  const months = new Map<number, Date>();
  const last = utcMonth(now, ahead).getTime();
  for (let m = utcMonth(options.from ?? now); m.getTime() <= last; m = utcMonth(m, 1))
    months.set(m.getTime(), m);
  for (const s of stray) months.set(s.month.getTime(), s.month);
  const created: string[] = [];
  for (const month of [...months.values()].sort((a, b) => a.getTime() - b.getTime())) {
    const [row] = await db.$queryRaw<{ created: boolean }[]>`
      SELECT "interaction_partition_create"(${wallClock(month)}::timestamp) AS created`;
    if (row?.created) created.push(partitionName(month));
  }
  return { created, movedFromDefault: stray.reduce((s, r) => s + Number(r.n), 0) };
}

/** The name interaction_partition_create gives the month of `month` (for reports; SQL is the authority). */
export function partitionName(month: Date): string {
  return `Interaction_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, "0")}`;
}

export interface DroppedPartition {
  name: string;
  from: Date;
  to: Date;
  /** Rows the partition held per store when it was dropped. */
  rowsByStore: Map<string, number>;
}

/**
 * Drops every month partition that ends at or before `before` (whole months in which every row has expired),
 * each in its own transaction: counts its rows per store, then drops it. Dropping locks the parent table
 * ACCESS EXCLUSIVE for an instant; when a long query holds it past {@link PARTITION_LOCK_TIMEOUT_MS} the
 * partition is left for the next run (and the lock error is not thrown).
 */
export async function dropInteractionPartitionsBefore(db: Db, before: Date): Promise<DroppedPartition[]> {
  const dropped: DroppedPartition[] = [];
  for (const p of await listInteractionPartitions(db)) {
    if (p.to.getTime() > before.getTime()) continue;
    const rowsByStore = await db
      .$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe(`SET LOCAL lock_timeout = ${PARTITION_LOCK_TIMEOUT_MS}`);
          const counts = await tx.$queryRawUnsafe<{ storeId: string; n: bigint }[]>(
            `SELECT "storeId", count(*) AS n FROM ${quoteIdent(p.name)} GROUP BY 1`,
          );
          await tx.$executeRawUnsafe(`DROP TABLE ${quoteIdent(p.name)}`);
          return new Map(counts.map((c) => [c.storeId, Number(c.n)]));
        },
        { timeout: 600_000, maxWait: 10_000 },
      )
      .catch((err: unknown) => {
        if (isLockTimeout(err)) return null;
        throw err;
      });
    if (rowsByStore) dropped.push({ ...p, rowsByStore });
  }
  return dropped;
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** PostgreSQL's lock_not_available (55P03), as the driver adapter reports it. */
function isLockTimeout(err: unknown): boolean {
  const text = err instanceof Error ? `${err.message} ${JSON.stringify(err)}` : String(err);
  return text.includes("55P03") || /lock timeout/i.test(text);
}
