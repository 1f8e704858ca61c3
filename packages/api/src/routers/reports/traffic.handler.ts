import { EXPRESSIONS } from "@shelf/core";
import type { StoreContext } from "../../trpc.ts";
import { Cell, cellsBy, cellStatsWithComplements } from "../../reports/cell.ts";
import { snapToStoreDays } from "../../reports/day-range.ts";
import { resolveRange, type DateRange } from "../../reports/range.ts";
import { sumsByBucket, sumsByHourOfDay } from "../../reports/rollups.ts";
import { storeRules, type ExpressionCounts } from "../../reports/rules.ts";
import type { TrafficInput } from "./schemas.ts";

export interface HourOfDayBar {
  /** 0–23, store time. */
  hour: number;
  n: number;
  /** Interactions per dominant expression; null when n < k (only the total is shown). */
  counts: ExpressionCounts | null;
}

/**
 * Interactions per hour of the day (store time) over the range, stacked by dominant expression, for the
 * store or one item / zone. Hours with fewer than k interactions show their total only.
 */
export async function hourOfDay({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: TrafficInput;
}): Promise<{ store: StoreContext["store"]; k: number; range: DateRange; hours: HourOfDayBar[] }> {
  const { db, store } = ctx;
  const range = snapToStoreDays(resolveRange(input), store.timezone);
  const [rules, rows] = await Promise.all([
    storeRules(db, store.id),
    sumsByHourOfDay(
      db,
      { storeId: store.id, itemId: input.itemId, zoneId: input.zoneId, ...range },
      store.timezone,
    ),
  ]);
  const cells = cellsBy(rows, (r) => String(r.hourOfDay));
  const byHour = Array.from({ length: 24 }, (_, hour) => cells.get(String(hour)) ?? new Cell());
  // The hours add up to the range's total (the item report shows it): complementary suppression.
  const stats = cellStatsWithComplements(byHour, rules);
  const hours = byHour.map((cell, hour): HourOfDayBar => {
    const visible = !stats[hour]!.hidden && cell.n >= rules.k;
    return {
      hour,
      n: cell.n,
      counts: visible
        ? (Object.fromEntries(EXPRESSIONS.map((e) => [e, cell.counts[e]])) as ExpressionCounts)
        : null,
    };
  });
  return { store, k: rules.k, range, hours };
}

/**
 * Shelf visits (interactions: one anonymous shopper stopping at one shelf zone) per day, store time. A
 * shopper who stops at three shelves counts three times: the system keeps no identity to tell them apart.
 */
export async function dailyVisits({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store">;
  input: TrafficInput;
}): Promise<{
  store: StoreContext["store"];
  range: DateRange;
  days: { day: string; start: Date; visits: number }[];
}> {
  const { db, store } = ctx;
  const range = snapToStoreDays(resolveRange(input), store.timezone);
  const rows = await sumsByBucket(
    db,
    { storeId: store.id, itemId: input.itemId, zoneId: input.zoneId, ...range },
    "day",
    store.timezone,
  );
  const days = new Map<string, { day: string; start: Date; visits: number }>();
  for (const r of rows) {
    const d = days.get(r.label) ?? { day: r.label, start: r.start, visits: 0 };
    d.visits += r.count;
    days.set(r.label, d);
  }
  return { store, range, days: [...days.values()] };
}
