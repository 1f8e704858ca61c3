import { z } from "zod";
import { createTRPCRouter, merchandiserProcedure, type StoreContext, ZStoreSlug } from "../trpc.ts";
import { loadLiveState, type LiveSnapshot } from "../live/state.ts";

/** The live view's starting state; updates then stream from /api/live/[storeSlug] (SSE). */
export async function liveSnapshot({
  ctx,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
}): Promise<LiveSnapshot> {
  const { store } = ctx;
  return (await loadLiveState(ctx.db, { id: store.id, slug: store.slug, name: store.name })).snapshot;
}

export const liveRouter = createTRPCRouter({
  snapshot: merchandiserProcedure.input(z.object({ storeSlug: ZStoreSlug }).strict()).query(liveSnapshot),
});
