import { liveChannel, parseLiveEvent } from "@shelf/survey-engine";
import { webEnv } from "@shelf/api/env";
import { createContext } from "@shelf/api/context";
import { refusalResponse } from "@shelf/api/http/refusal";
import { sseResponse } from "@shelf/api/http/sse";
import { logger } from "@shelf/api/logger";
import { createCaller } from "@shelf/api/root";
import { dashboardLiveHub } from "@shelf/api/live/redis";
import { loadLiveState, type LiveFlag } from "@shelf/api/live/state";
import { LIVE_PUSH_MS } from "@shelf/api/live/window";

export const dynamic = "force-dynamic";

/**
 * The live view's stream (Server-Sent Events) for merchandisers: `snapshot` first (and again after every
 * reconnect), then `zones` (per-zone distributions, at most every LIVE_PUSH_MS, aggregated here: no single
 * interaction reaches the browser, zones below k show counts only, interactions join a minute after they
 * ended, and a zone's reading changes only once k interactions joined or left it — see LiveWindow) and
 * `flag` (raised / cleared).
 * Fed by the workers' live events on Redis pub/sub.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ storeSlug: string }> },
): Promise<Response> {
  const { storeSlug } = await params;
  const ctx = await createContext(request.headers);
  let store;
  try {
    store = (await createCaller(ctx).live.streamAccess({ storeSlug })).store;
  } catch (err) {
    const refused = refusalResponse(err);
    if (refused) return refused;
    throw err;
  }
  const { snapshot, window, itemNames } = await loadLiveState(ctx.db, store);
  const zoneIds = snapshot.zones.map((z) => z.id);
  const itemName = async (itemId: string) => {
    if (!itemNames.has(itemId)) {
      const item = await ctx.db.item.findUnique({ where: { id: itemId }, select: { name: true } });
      itemNames.set(itemId, item?.name ?? "Unknown product");
    }
    return itemNames.get(itemId)!;
  };

  return sseResponse(request, async ({ send }) => {
    let lastSent = JSON.stringify(snapshot.distribution);
    let unsubscribe: () => void = () => {};
    try {
      unsubscribe = await dashboardLiveHub().subscribe(
        liveChannel(store.id, webEnv().QUEUE_PREFIX),
        (message) => {
          const event = parseLiveEvent(message);
          if (!event || event.storeId !== store.id) return;
          if (event.kind === "interaction") {
            window.add({
              id: event.interactionId,
              zoneId: event.zoneId,
              dominant: event.dominant,
              negative: event.negative,
              at: event.at,
            });
          } else if (event.kind === "zone-distribution") {
            const seen = new Set(event.zones.map((z) => z.zoneId));
            for (const z of event.zones) window.setNow(z.zoneId, z.shoppers, z.expressions ?? null, event.at);
            for (const id of zoneIds) if (!seen.has(id)) window.setNow(id, 0, null, event.at);
          } else if (event.kind === "flag") {
            void itemName(event.itemId).then((name) => {
              const flag: LiveFlag = {
                flagId: event.flagId,
                itemId: event.itemId,
                itemName: name,
                state: event.state,
                at: event.at,
                lower: event.lower,
                threshold: event.threshold,
              };
              send("flag", flag);
            });
          }
        },
      );
    } catch (err) {
      logger().error(
        { err: err instanceof Error ? err.message : String(err), store: store.slug },
        "live stream: Redis subscription failed",
      );
      send("unavailable", {
        message: "Live updates are unavailable (Redis unreachable); showing the last snapshot.",
      });
    }
    // After the subscription is confirmed: nothing published from here on is missed.
    send("snapshot", snapshot);
    const push = setInterval(() => {
      const now = Date.now();
      window.evict(now);
      const distribution = window.stats(zoneIds, snapshot.k, now);
      const json = JSON.stringify(distribution);
      if (json === lastSent) return;
      lastSent = json;
      send("zones", { at: now, distribution });
    }, LIVE_PUSH_MS);
    return () => {
      clearInterval(push);
      unsubscribe();
    };
  });
}
