import type { StoreContext } from "../../trpc.ts";
import { flaggedItems, type FlaggedItem } from "../reports/flagged-items.handler.ts";
import type { FlagListInput } from "./schemas.ts";
import { flagStatus, type FlagStatus } from "./workflow.ts";

/** Who did something to a flag and when (`by` null: the account was deleted). */
export interface FlagStep {
  at: Date;
  by: string | null;
}

/** A flag with its human workflow (see `workflow.ts` for how it meets the worker's clearedAt). */
export interface WorkflowFlag extends FlaggedItem {
  status: FlagStatus;
  acknowledged: FlagStep | null;
  /** The note (a merchandiser's free text: render as text). */
  note: (FlagStep & { text: string }) | null;
  resolved: FlagStep | null;
  /** Alert channels delivered for this flag. */
  alerts: { channel: string; deliveredAt: Date }[];
}

export interface FlagList {
  store: StoreContext["store"];
  k: number;
  /** Open flags (new, acknowledged, resolved but still above threshold), most certain first. */
  open: WorkflowFlag[];
  /** Flags the worker cleared within the asked window, newest first. */
  cleared: WorkflowFlag[];
}

/**
 * The flags page: the store's flags ranked as `reports.flaggedItems` ranks them, each with who acknowledged,
 * noted and resolved it, and which alerts went out.
 */
export async function listFlags({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: FlagListInput;
}): Promise<FlagList> {
  const base = await flaggedItems({ ctx, input });
  const ids = [...base.open, ...base.cleared].map((f) => f.flagId);
  const name = { select: { name: true } } as const;
  const rows = await ctx.db.flag.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      clearedAt: true,
      acknowledgedAt: true,
      acknowledgedBy: name,
      note: true,
      notedAt: true,
      notedBy: name,
      resolvedAt: true,
      resolvedBy: name,
      alerts: { select: { channel: true, deliveredAt: true }, orderBy: { channel: "asc" } },
    },
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const view = (f: FlaggedItem): WorkflowFlag => {
    const r = byId.get(f.flagId)!;
    return {
      ...f,
      status: flagStatus(r),
      acknowledged: r.acknowledgedAt ? { at: r.acknowledgedAt, by: r.acknowledgedBy?.name ?? null } : null,
      note: r.note && r.notedAt ? { text: r.note, at: r.notedAt, by: r.notedBy?.name ?? null } : null,
      resolved: r.resolvedAt ? { at: r.resolvedAt, by: r.resolvedBy?.name ?? null } : null,
      alerts: r.alerts,
    };
  };
  // A flag can clear between the two reads: keep it where the first read put it.
  return {
    store: base.store,
    k: base.k,
    open: base.open.filter((f) => byId.has(f.flagId)).map(view),
    cleared: base.cleared.filter((f) => byId.has(f.flagId)).map(view),
  };
}
