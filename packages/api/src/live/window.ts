import { EXPRESSIONS, LIVE_VIEW_WINDOW_MS, type Expression } from "@shelf/core";
import { zeroCounts, type ExpressionCounts } from "../reports/rules.ts";

/** The live view's window (15 min; the worker's 10 s "right now" window is another one, both in core). */
export { LIVE_VIEW_WINDOW_MS } from "@shelf/core";
/**
 * An interaction joins the live view this long after it ended, ms: what a merchandiser watching the floor
 * sees on screen does not line up with the shopper who just walked away.
 */
export const LIVE_DELAY_MS = 60_000;
/** Live pushes are at most this often, ms. */
export const LIVE_PUSH_MS = 10_000;
/** A zone's "right now" reading from the worker is forgotten after this long without an update, ms. */
export const NOW_TTL_MS = 30_000;

export interface LiveZoneStats {
  zoneId: string;
  /** Interactions that ended in the window. */
  n: number;
  /** Share per dominant expression (0–1); null when n < k. */
  mix: ExpressionCounts | null;
  /** Share counted as rejections (0–1); null when n < k. */
  negativeShare: number | null;
  /**
   * Right now (the worker's last seconds): shoppers at the zone. `mix` (their faces' dominant expressions)
   * is always null: consecutive readings of a handful of people standing in view would tell one person's
   * expression by difference, whatever k is. Null when unknown.
   */
  now: { shoppers: number; mix: ExpressionCounts | null } | null;
}

interface Entry {
  /** The interaction's id (the same in Postgres and in its live event). */
  id: string;
  zoneId: string;
  dominant: Expression;
  negative: boolean;
  /** ms since epoch */
  at: number;
}

/** Per zone: the live reading last shown and the ids of the interactions it was computed from. */
export type HeldReadings = Map<string, { stats: Omit<LiveZoneStats, "now">; members: Set<string> }>;

const g = globalThis as unknown as { shelfHeldReadings?: Map<string, HeldReadings> };

/** The held live readings of a store, shared by all its live views in this process. */
export function heldReadings(storeId: string): HeldReadings {
  const all = (g.shelfHeldReadings ??= new Map());
  let held = all.get(storeId);
  if (!held) all.set(storeId, (held = new Map()));
  return held;
}

/**
 * A sliding window of recent interactions per zone, aggregated for display: no single interaction ever
 * leaves it, and a zone with fewer than k interactions in the window shows its count only.
 *
 * Against differencing two consecutive readings (one new interaction turns n = 5 into n = 6 and changes the
 * mix by exactly that shopper's expression), a zone's reading is held: it is recomputed only once at least
 * k interactions have joined or left the zone's window since the reading last shown, so two readings
 * differ by k or more interactions. Interactions join {@link LIVE_DELAY_MS} after they ended. The held
 * readings are shared by every live view of the store in this process ({@link HeldReadings}), so opening
 * the view again does not show a fresh reading either. (Several web processes each hold their own: a
 * determined viewer reaching two of them may see two readings apart by fewer than k.)
 */
export class LiveWindow {
  private entries: Entry[] = [];
  private readonly ids = new Set<string>();
  private readonly now = new Map<
    string,
    { shoppers: number; expressions: readonly number[] | null; at: number }
  >();
  constructor(
    private readonly windowMs = LIVE_VIEW_WINDOW_MS,
    private readonly delayMs = LIVE_DELAY_MS,
    /** Per zone: the reading last shown and the interactions it was computed from. */
    private readonly shown: HeldReadings = new Map(),
  ) {}

  /** Adds an interaction once (the same one from Postgres and from its live event counts once). */
  add(entry: Entry): void {
    if (this.ids.has(entry.id)) return;
    this.ids.add(entry.id);
    this.entries.push(entry);
  }

  /** The worker's current reading of a zone (expression counts in EXPRESSIONS order, when it sent them). */
  setNow(zoneId: string, shoppers: number, expressions: readonly number[] | null, at: number): void {
    this.now.set(zoneId, { shoppers, expressions, at });
  }

  /** Drops what fell out of the window; true when anything did. */
  evict(now: number): boolean {
    const before = this.entries.length + this.now.size;
    this.entries = this.entries.filter((e) => {
      const keep = e.at > now - this.delayMs - this.windowMs;
      if (!keep) this.ids.delete(e.id);
      return keep;
    });
    for (const [zone, s] of this.now) if (s.at <= now - NOW_TTL_MS) this.now.delete(zone);
    return this.entries.length + this.now.size !== before;
  }

  /** The readings to show at `now` (held per zone as described above). */
  stats(zoneIds: readonly string[], k: number, now: number = Date.now()): LiveZoneStats[] {
    const upTo = now - this.delayMs;
    const members = new Map<string, Map<string, Entry>>();
    for (const e of this.entries) {
      if (e.at > upTo || e.at <= upTo - this.windowMs) continue;
      let zone = members.get(e.zoneId);
      if (!zone) members.set(e.zoneId, (zone = new Map()));
      zone.set(e.id, e);
    }
    return zoneIds.map((zoneId) => {
      const current = members.get(zoneId) ?? new Map<string, Entry>();
      const last = this.shown.get(zoneId);
      let changed = last ? 0 : Infinity;
      if (last) {
        for (const id of current.keys()) if (!last.members.has(id)) changed++;
        for (const id of last.members) if (!current.has(id)) changed++;
      }
      // Hold the last reading until k interactions changed (at least 2, whatever k an admin set).
      if (last && changed < Math.max(2, k)) return { ...last.stats, now: this.nowOf(zoneId) };
      const stats = aggregate(zoneId, [...current.values()], k);
      this.shown.set(zoneId, { stats, members: new Set(current.keys()) });
      return { ...stats, now: this.nowOf(zoneId) };
    });
  }

  private nowOf(zoneId: string): LiveZoneStats["now"] {
    const reading = this.now.get(zoneId);
    if (!reading) return null;
    return { shoppers: reading.shoppers, mix: null };
  }
}

function aggregate(zoneId: string, entries: readonly Entry[], k: number): Omit<LiveZoneStats, "now"> {
  const counts = zeroCounts();
  let negative = 0;
  for (const e of entries) {
    counts[e.dominant] += 1;
    if (e.negative) negative += 1;
  }
  const n = entries.length;
  const visible = n >= k && n > 0;
  return {
    zoneId,
    n,
    mix: visible
      ? (Object.fromEntries(EXPRESSIONS.map((e) => [e, counts[e] / n])) as ExpressionCounts)
      : null,
    negativeShare: visible ? negative / n : null,
  };
}
