import { EXPRESSIONS, type Expression } from "@shelf/core";
import { zeroCounts, type ExpressionCounts } from "../reports/rules.ts";

/** The live view's window: interactions that ended within it make up a zone's "current" distribution. */
export const LIVE_WINDOW_MS = 15 * 60_000;
/** A zone's shopper count from the agent is forgotten after this long without an update, ms. */
export const SHOPPERS_TTL_MS = 30_000;

export interface LiveZoneStats {
  zoneId: string;
  /** Interactions that ended in the window. */
  n: number;
  /** Share per dominant expression (0–1); null when n < k. */
  mix: ExpressionCounts | null;
  /** Share counted as rejections (0–1); null when n < k. */
  negativeShare: number | null;
  /** Shoppers at the zone right now (from the agent), null when unknown. */
  shoppersNow: number | null;
}

interface Entry {
  zoneId: string;
  dominant: Expression;
  negative: boolean;
  /** ms since epoch */
  at: number;
}

/**
 * A sliding window of recent interactions per zone, aggregated for display: no single interaction ever
 * leaves it, and a zone with fewer than k interactions in the window shows its count only.
 */
export class LiveWindow {
  private entries: Entry[] = [];
  private readonly shoppers = new Map<string, { count: number; at: number }>();

  constructor(private readonly windowMs = LIVE_WINDOW_MS) {}

  add(entry: Entry): void {
    this.entries.push(entry);
  }

  setShoppers(zoneId: string, count: number, at: number): void {
    this.shoppers.set(zoneId, { count, at });
  }

  /** Drops what fell out of the window; true when anything did. */
  evict(now: number): boolean {
    const before = this.entries.length + this.shoppers.size;
    this.entries = this.entries.filter((e) => e.at > now - this.windowMs);
    for (const [zone, s] of this.shoppers) if (s.at <= now - SHOPPERS_TTL_MS) this.shoppers.delete(zone);
    return this.entries.length + this.shoppers.size !== before;
  }

  stats(zoneIds: readonly string[], k: number): LiveZoneStats[] {
    const by = new Map<string, { counts: ExpressionCounts; n: number; negative: number }>();
    for (const e of this.entries) {
      let z = by.get(e.zoneId);
      if (!z) by.set(e.zoneId, (z = { counts: zeroCounts(), n: 0, negative: 0 }));
      z.counts[e.dominant] += 1;
      z.n += 1;
      if (e.negative) z.negative += 1;
    }
    return zoneIds.map((zoneId) => {
      const z = by.get(zoneId);
      const n = z?.n ?? 0;
      const visible = z && n >= k;
      return {
        zoneId,
        n,
        mix: visible ? (Object.fromEntries(EXPRESSIONS.map((e) => [e, z.counts[e] / n])) as ExpressionCounts) : null,
        negativeShare: visible ? z.negative / n : null,
        shoppersNow: this.shoppers.get(zoneId)?.count ?? null,
      };
    });
  }
}
