import { writeAudit } from "../../audit.ts";
import { DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import type { FlagActionInput, FlagNoteInput } from "./schemas.ts";
import { flagStatus, type FlagStatus } from "./workflow.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

const WORKFLOW = {
  id: true,
  itemId: true,
  clearedAt: true,
  acknowledgedAt: true,
  acknowledgedById: true,
  note: true,
  notedAt: true,
  notedById: true,
  resolvedAt: true,
  resolvedById: true,
} as const;

/** What the audit log keeps of a flag's workflow: who and when, and the note's length (never its text). */
function auditView(f: {
  itemId: string;
  clearedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedById: string | null;
  note: string | null;
  notedAt: Date | null;
  resolvedAt: Date | null;
  resolvedById: string | null;
}) {
  return {
    itemId: f.itemId,
    status: flagStatus(f),
    acknowledgedAt: f.acknowledgedAt,
    acknowledgedById: f.acknowledgedById,
    noteChars: f.note?.length ?? 0,
    notedAt: f.notedAt,
    resolvedAt: f.resolvedAt,
    resolvedById: f.resolvedById,
  };
}

type Change = (
  flag: Awaited<ReturnType<typeof loadFlag>>,
  now: Date,
  userId: string,
) => Partial<{
  acknowledgedAt: Date | null;
  acknowledgedById: string | null;
  note: string | null;
  notedAt: Date | null;
  notedById: string | null;
  resolvedAt: Date | null;
  resolvedById: string | null;
}> | null;

async function loadFlag(
  tx: Parameters<Parameters<Ctx["db"]["$transaction"]>[0]>[0],
  storeId: string,
  id: string,
) {
  // Row lock: two people acting on one flag at once apply one after the other, each audited.
  await tx.$executeRaw`SELECT 1 FROM "Flag" WHERE id = ${id} AND "storeId" = ${storeId} FOR UPDATE`;
  const flag = await tx.flag.findFirst({ where: { id, storeId }, select: WORKFLOW });
  if (!flag) throw new NotFoundError(`flag "${id}"`);
  return flag;
}

/**
 * Applies one workflow step to a flag of the store in one transaction with its audit entry. A step that
 * changes nothing (acknowledging twice) writes nothing and is not audited.
 */
async function step(
  ctx: Ctx,
  flagId: string,
  action: string,
  change: Change,
): Promise<{ flagId: string; status: FlagStatus; changed: boolean }> {
  return ctx.db.$transaction(async (tx) => {
    const before = await loadFlag(tx, ctx.store.id, flagId);
    const data = change(before, new Date(), ctx.user.id);
    if (!data) return { flagId, status: flagStatus(before), changed: false };
    const after = await tx.flag.update({ where: { id: flagId }, data, select: WORKFLOW });
    await writeAudit(tx, {
      storeId: ctx.store.id,
      userId: ctx.user.id,
      action: `flag.${action}`,
      entity: "flag",
      entityId: flagId,
      before: auditView(before),
      after: auditView(after),
    });
    return { flagId, status: flagStatus(after), changed: true };
  });
}

/** "We've seen it": open or cleared flags alike; a second acknowledgement changes nothing. */
export function acknowledgeFlag({ ctx, input }: { ctx: Ctx; input: FlagActionInput }) {
  return step(ctx, input.flagId, "acknowledge", (f, now, userId) =>
    f.acknowledgedAt ? null : { acknowledgedAt: now, acknowledgedById: userId },
  );
}

/** Sets (or, with an empty note, removes) the flag's note. */
export function noteFlag({ ctx, input }: { ctx: Ctx; input: FlagNoteInput }) {
  const text = input.note === "" ? null : input.note;
  return step(ctx, input.flagId, "note", (f, now, userId) =>
    f.note === text
      ? null
      : text === null
        ? { note: null, notedAt: null, notedById: null }
        : { note: text, notedAt: now, notedById: userId },
  );
}

/**
 * "We've done what we can": also acknowledges it when nobody had. It does not clear the flag — only the
 * worker does, when the numbers drop (see `workflow.ts`).
 */
export function resolveFlag({ ctx, input }: { ctx: Ctx; input: FlagActionInput }) {
  return step(ctx, input.flagId, "resolve", (f, now, userId) =>
    f.resolvedAt
      ? null
      : {
          resolvedAt: now,
          resolvedById: userId,
          ...(f.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedById: userId }),
        },
  );
}

/** Takes a resolution back (the fix did not work): only an open flag can be reopened. */
export function reopenFlag({ ctx, input }: { ctx: Ctx; input: FlagActionInput }) {
  return step(ctx, input.flagId, "reopen", (f) => {
    if (f.clearedAt)
      throw new DomainRuleError(
        "this flag was cleared by the numbers; a new one is raised if they rise again",
      );
    return f.resolvedAt ? { resolvedAt: null, resolvedById: null } : null;
  });
}
