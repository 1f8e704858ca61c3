import type { StoreContext } from "../../trpc.ts";
import { type AuditLogInput } from "./schemas.ts";

export interface AuditEntryView {
  id: string;
  at: Date;
  action: string;
  entity: string;
  entityId: string | null;
  /** null: the system (e.g. the retention job), or a deleted user. */
  user: { email: string; name: string } | null;
  before: unknown;
  after: unknown;
}

/** The store's audit log, newest first, a page at a time. */
export async function auditLog({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: AuditLogInput;
}): Promise<{ entries: AuditEntryView[]; nextCursor: string | null }> {
  const rows = await ctx.db.auditLog.findMany({
    where: { storeId: ctx.store.id },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
    ...(input.cursor ? { cursor: { id: input.cursor }, skip: 1 } : {}),
    include: { user: { select: { email: true, name: true } } },
  });
  const page = rows.slice(0, input.limit);
  return {
    entries: page.map((r) => ({
      id: r.id,
      at: r.createdAt,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      user: r.user,
      before: r.before,
      after: r.after,
    })),
    nextCursor: rows.length > input.limit ? page.at(-1)!.id : null,
  };
}
