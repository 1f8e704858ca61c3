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

const ZLiveInput = z.object({ storeSlug: ZStoreSlug }).strict();

export const liveRouter = createTRPCRouter({
  snapshot: merchandiserProcedure.input(ZLiveInput).query(liveSnapshot),
  /** The role check of the live stream (/api/live/[storeSlug]), which then loads the state itself, once. */
  streamAccess: merchandiserProcedure
    .input(ZLiveInput)
    .query(({ ctx }) => ({ store: { id: ctx.store.id, slug: ctx.store.slug, name: ctx.store.name } })),
});
