import type { StoreContext } from "../../trpc.ts";
import type { FlagChange } from "../../flags/redecide.ts";

/** Tells live views about flags an admin's change raised or cleared. */
export async function publishFlagChanges(
  ctx: Pick<StoreContext, "store" | "publishLive">,
  changes: readonly FlagChange[],
): Promise<void> {
  if (!ctx.publishLive || !changes.length) return;
  await ctx.publishLive(
    changes.map((c) => ({
      kind: "flag" as const,
      storeId: ctx.store.id,
      itemId: c.itemId,
      flagId: c.flagId,
      state: c.state,
      at: c.at.getTime(),
      lower: Math.min(1, Math.max(0, c.lower)),
      threshold: c.threshold,
    })),
  );
}
