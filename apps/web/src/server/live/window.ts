import { EXPRESSIONS, type Expression } from "@shelf/core";
import { zeroCounts, type ExpressionCounts } from "../reports/rules.ts";

/** The live view's window: interactions that ended within it make up a zone's "current" distribution. */
export const LIVE_WINDOW_MS = 15 * 60_000;
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
   * Right now (the worker's last seconds of classified faces): shoppers at the zone, and the share of their
   * faces' dominant expressions — null unless at least k shoppers are there. Null when unknown.
   */
  now: { shoppers: number; mix: ExpressionCounts | null } | null;
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
  private readonly now = new Map<
    string,
    { shoppers: number; expressions: readonly number[] | null; at: number }
  >();

  constructor(private readonly windowMs = LIVE_WINDOW_MS) {}

  add(entry: Entry): void {
    this.entries.push(entry);
  }

  /** The worker's current reading of a zone (expression counts in EXPRESSIONS order, when it sent them). */
  setNow(zoneId: string, shoppers: number, expressions: readonly number[] | null, at: number): void {
    this.now.set(zoneId, { shoppers, expressions, at });
  }

  /** Drops what fell out of the window; true when anything did. */
  evict(now: number): boolean {
    const before = this.entries.length + this.now.size;
    this.entries = this.entries.filter((e) => e.at > now - this.windowMs);
    for (const [zone, s] of this.now) if (s.at <= now - NOW_TTL_MS) this.now.delete(zone);
    return this.entries.length + this.now.size !== before;
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
        mix: visible
          ? (Object.fromEntries(EXPRESSIONS.map((e) => [e, z.counts[e] / n])) as ExpressionCounts)
          : null,
        negativeShare: visible ? z.negative / n : null,
        now: this.nowOf(zoneId, k),
      };
    });
  }

  private nowOf(zoneId: string, k: number): LiveZoneStats["now"] {
    const reading = this.now.get(zoneId);
    if (!reading) return null;
    const total = reading.expressions?.reduce((a, b) => a + b, 0) ?? 0;
    const visible = reading.shoppers >= k && total > 0;
    return {
      shoppers: reading.shoppers,
      mix: visible
        ? (Object.fromEntries(
            EXPRESSIONS.map((e, i) => [e, (reading.expressions![i] ?? 0) / total]),
          ) as ExpressionCounts)
        : null,
    };
  }
}
