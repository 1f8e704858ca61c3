import { ZThresholdRule, type FlagChange } from "@shelf/core";
import type { Threshold } from "@shelf/db";
import { DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import { redoFlags } from "./rescore.ts";
import { type DeleteThresholdInput, type SaveThresholdInput, type StoreInput } from "./schemas.ts";

export interface ThresholdView {
  id: string;
  /** Applies to this store only; false: a rule for every store (only super admins change those). */
  storeOnly: boolean;
  level: "global" | "category" | "item";
  category: string | null;
  item: { id: string; sku: string; name: string } | null;
  threshold: number;
  hysteresis: number;
  minSample: number | null;
  updatedAt: Date;
}

type Ctx = Pick<StoreContext, "db" | "store" | "user" | "requestRescore">;

async function viewOf(ctx: Pick<StoreContext, "db" | "store">, rows: Threshold[]): Promise<ThresholdView[]> {
  const ids = rows.flatMap((r) => (r.itemId ? [r.itemId] : []));
  const items = await ctx.db.item.findMany({
    where: { id: { in: ids } },
    select: { id: true, sku: true, name: true },
  });
  const byId = new Map(items.map((i) => [i.id, i]));
  return rows.map((r) => ({
    id: r.id,
    storeOnly: r.storeId !== null,
    level: r.level,
    category: r.category,
    item: r.itemId ? (byId.get(r.itemId) ?? null) : null,
    threshold: r.threshold,
    hysteresis: r.hysteresis,
    minSample: r.minSample,
    updatedAt: r.updatedAt,
  }));
}

/** The rules that apply in the store (its own and every-store rules), and the categories and items to key rules on. */
export async function listThresholds({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: StoreInput;
}) {
  const { db, store } = ctx;
  const [rows, items] = await Promise.all([
    db.threshold.findMany({
      where: { OR: [{ storeId: store.id }, { storeId: null }] },
      orderBy: [{ level: "asc" }, { category: "asc" }, { updatedAt: "asc" }],
    }),
    db.item.findMany({
      where: { slots: { some: { zone: { storeId: store.id } } } },
      orderBy: { name: "asc" },
      select: { id: true, sku: true, name: true, category: true },
    }),
  ]);
  return {
    rules: await viewOf(ctx, rows),
    categories: [...new Set(items.map((i) => i.category))].sort(),
    items,
  };
}

function auditView(t: Threshold) {
  return {
    storeId: t.storeId,
    level: t.level,
    category: t.category,
    itemId: t.itemId,
    threshold: t.threshold,
    hysteresis: t.hysteresis,
    minSample: t.minSample,
  };
}

/** A rule an admin of this store may change: the store's own, or (super admins) an every-store rule. */
async function ownRule(ctx: Ctx, id: string): Promise<Threshold> {
  const rule = await ctx.db.threshold.findUnique({ where: { id } });
  if (!rule || (rule.storeId !== null && rule.storeId !== ctx.store.id))
    throw new NotFoundError(`threshold "${id}"`);
  if (rule.storeId === null && !ctx.user.isSuperAdmin)
    throw new DomainRuleError(
      "this rule applies to every store: only a super admin may change it; add a rule for this store instead",
    );
  return rule;
}

/**
 * Creates or updates a rejection threshold (store-wide, per category or per item), audited, then has the
 * worker re-decide the store's flags under the new rules and waits for it, so the flag list changes at once.
 */
export async function saveThreshold({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SaveThresholdInput;
}): Promise<{ rule: ThresholdView; flagChanges: FlagChange[] }> {
  const { db, store, user } = ctx;
  const existing = input.id ? await ownRule(ctx, input.id) : null;
  const parsed = ZThresholdRule.safeParse({
    storeId: existing ? existing.storeId : store.id,
    level: input.level,
    category: input.level === "category" ? input.category : null,
    itemId: input.level === "item" ? input.itemId : null,
    threshold: input.threshold,
    hysteresis: input.hysteresis,
    minSample: input.minSample,
  });
  if (!parsed.success) throw new DomainRuleError(parsed.error.issues.map((i) => i.message).join("; "));
  const rule = parsed.data;
  if (rule.itemId && !(await db.item.findUnique({ where: { id: rule.itemId }, select: { id: true } })))
    throw new NotFoundError(`item "${rule.itemId}"`);
  const { saved, auditId } = await db.$transaction(async (tx) => {
    // One rule per store, level and key: saving the same key again updates it. Two saves at once would both
    // find nothing and create two "whole store" rules: the key's lock makes the second wait and update.
    const key = `threshold:${rule.storeId ?? "all"}:${rule.level}:${rule.category ?? ""}:${rule.itemId ?? ""}`;
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))::text`;
    const before =
      existing ??
      (await tx.threshold.findFirst({
        where: { storeId: rule.storeId, level: rule.level, category: rule.category, itemId: rule.itemId },
      }));
    const data = {
      level: rule.level,
      category: rule.category,
      itemId: rule.itemId,
      threshold: rule.threshold,
      hysteresis: rule.hysteresis,
      minSample: rule.minSample,
    };
    const after = before
      ? await tx.threshold.update({ where: { id: before.id }, data })
      : await tx.threshold.create({ data: { ...data, storeId: rule.storeId } });
    const auditId = await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: before ? "threshold.update" : "threshold.create",
      entity: "Threshold",
      entityId: after.id,
      before: before ? auditView(before) : undefined,
      after: auditView(after),
    });
    return { saved: after, auditId };
  });
  const flagChanges = await redoFlags(ctx, "redecide", auditId);
  return { rule: (await viewOf(ctx, [saved]))[0]!, flagChanges };
}

/** Deletes a rule, audited, and has the worker re-decide the store's flags (waiting for it). */
export async function deleteThreshold({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: DeleteThresholdInput;
}): Promise<{ flagChanges: FlagChange[] }> {
  const { db, store, user } = ctx;
  const rule = await ownRule(ctx, input.id);
  const auditId = await db.$transaction(async (tx) => {
    await tx.threshold.delete({ where: { id: rule.id } });
    return writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "threshold.delete",
      entity: "Threshold",
      entityId: rule.id,
      before: auditView(rule),
    });
  });
  const flagChanges = await redoFlags(ctx, "redecide", auditId);
  return { flagChanges };
}
