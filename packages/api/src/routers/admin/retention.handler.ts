import type { StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import { deleteExpiredData, type RetentionResult } from "@shelf/db";
import type { StoreInput } from "./schemas.ts";

/** Runs the retention job for this store now (it also runs on the worker's schedule). Audited. */
export async function runRetention({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store" | "user">;
  input: StoreInput;
}): Promise<RetentionResult> {
  const [result] = await deleteExpiredData(ctx.db, { storeId: ctx.store.id });
  await writeAudit(ctx.db, {
    storeId: ctx.store.id,
    userId: ctx.user.id,
    action: "retention.run",
    entity: "retention",
    after: {
      interactions: result!.interactions,
      surveyResponses: result!.surveyResponses,
      invites: result!.invites,
      rollupsMerged: result!.rollupsMerged,
      snapshots: result!.snapshots,
      auditEntries: result!.auditEntries,
      cutoff: result!.cutoff,
    },
  });
  return result!;
}
