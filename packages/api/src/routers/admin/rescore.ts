import type { FlagChange, RescoreJob } from "@shelf/core";
import type { StoreContext } from "../../trpc.ts";
import { RescoreUnavailableError } from "../../flags/rescore.ts";

/**
 * Has the worker redo the store's flags after a rule change (`rescore`: scores too) and returns the flags it
 * raised and cleared. The worker publishes them live; the caller shows them.
 *
 * @param requestId - the audit entry of the change (the job's fixed id).
 * @throws RescoreUnavailableError (→ SERVICE_UNAVAILABLE) when no requester is wired or no worker answers.
 */
export async function redoFlags(
  ctx: Pick<StoreContext, "store" | "requestRescore">,
  mode: RescoreJob["mode"],
  requestId: string,
): Promise<FlagChange[]> {
  if (!ctx.requestRescore)
    throw new RescoreUnavailableError(
      "the rules are saved, but this server cannot reach the worker to rescore",
    );
  return (await ctx.requestRescore({ storeId: ctx.store.id, mode, requestId })).changes;
}
