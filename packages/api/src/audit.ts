import type { Db, Prisma } from "@shelf/db";

/** A Prisma client or an open transaction. */
export type DbOrTx = Db | Prisma.TransactionClient;

export interface AuditEntry {
  /** null for changes outside any one store (users, super admins). */
  storeId: string | null;
  userId: string | null;
  /** `<entity>.<verb>`, e.g. `threshold.update`, `calibration.create`. */
  action: string;
  entity: string;
  entityId?: string | null;
  /** The entity before and after the change: ids, settings and numbers, never pixels, passwords or free text. */
  before?: unknown;
  after?: unknown;
}

/** Plain JSON (Dates as ISO strings, no undefined) for a Json column. */
function json(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Appends one entry to the audit log (in the caller's transaction when given one). */
export async function writeAudit(db: DbOrTx, entry: AuditEntry): Promise<string> {
  const row = await db.auditLog.create({
    data: {
      storeId: entry.storeId,
      userId: entry.userId,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      before: json(entry.before),
      after: json(entry.after),
    },
    select: { id: true },
  });
  return row.id;
}
