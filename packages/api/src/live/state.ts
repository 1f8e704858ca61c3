import type { Db } from "@shelf/db";
import { storeRules } from "../reports/rules.ts";
import {
  heldReadings,
  LIVE_DELAY_MS,
  LIVE_VIEW_WINDOW_MS,
  LiveWindow,
  type LiveZoneStats,
} from "./window.ts";

export interface LiveFlag {
  flagId: string;
  itemId: string;
  itemName: string;
  state: "raised" | "cleared";
  /** ms since epoch */
  at: number;
  lower: number;
  threshold: number;
}

/** What a live view starts from (JSON-safe: times in ms). */
export interface LiveSnapshot {
  store: { id: string; slug: string; name: string };
  k: number;
  windowMinutes: number;
  zones: { id: string; name: string; staffOnly: boolean }[];
  distribution: LiveZoneStats[];
  /** Newest first. */
  flags: LiveFlag[];
  /** ms since epoch */
  at: number;
}

/** Most interactions loaded into a window at start (a busy store's quarter hour). */
const MAX_WINDOW_ROWS = 50_000;

/** The store's live state from Postgres: its zones, the window of recent interactions, the latest flags. */
export async function loadLiveState(
  db: Db,
  store: { id: string; slug: string; name: string },
  now = Date.now(),
): Promise<{ snapshot: LiveSnapshot; window: LiveWindow; itemNames: Map<string, string> }> {
  const since = new Date(now - LIVE_DELAY_MS - LIVE_VIEW_WINDOW_MS);
  const [rules, zones, recent, flags] = await Promise.all([
    storeRules(db, store.id),
    db.shelfZone.findMany({
      where: { storeId: store.id },
      orderBy: { name: "asc" },
      select: { id: true, name: true, staffOnly: true },
    }),
    db.interaction.findMany({
      // startedAt is indexed; a visit longer than the window that ended inside it is rare enough to miss.
      where: {
        storeId: store.id,
        startedAt: { gte: new Date(since.getTime() - LIVE_VIEW_WINDOW_MS) },
        endedAt: { gte: since },
      },
      orderBy: { endedAt: "desc" },
      take: MAX_WINDOW_ROWS,
      select: { id: true, zoneId: true, dominant: true, negative: true, endedAt: true },
    }),
    db.flag.findMany({
      where: { storeId: store.id },
      orderBy: { raisedAt: "desc" },
      take: 20,
      include: { item: { select: { name: true } } },
    }),
  ]);
  const window = new LiveWindow(LIVE_VIEW_WINDOW_MS, LIVE_DELAY_MS, heldReadings(store.id));
  for (const r of recent)
    window.add({
      id: r.id,
      zoneId: r.zoneId,
      dominant: r.dominant,
      negative: r.negative,
      at: r.endedAt.getTime(),
    });
  const events: LiveFlag[] = flags.flatMap((f) => {
    const base = {
      flagId: f.id,
      itemId: f.itemId,
      itemName: f.item.name,
      lower: f.lower,
      threshold: f.threshold,
    };
    const raised: LiveFlag = { ...base, state: "raised", at: f.raisedAt.getTime() };
    return f.clearedAt
      ? [{ ...base, state: "cleared" as const, at: f.clearedAt.getTime() }, raised]
      : [raised];
  });
  events.sort((a, b) => b.at - a.at);
  return {
    snapshot: {
      store,
      k: rules.k,
      windowMinutes: LIVE_VIEW_WINDOW_MS / 60_000,
      zones,
      distribution: window.stats(
        zones.map((z) => z.id),
        rules.k,
        now,
      ),
      flags: events.slice(0, 20),
      at: now,
    },
    window,
    itemNames: new Map(flags.map((f) => [f.itemId, f.item.name])),
  };
}
