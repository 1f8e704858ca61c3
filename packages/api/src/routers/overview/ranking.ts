import type { ItemSurveySummary } from "@shelf/survey-engine";
import { Cell, cellStatsWithComplements } from "../../reports/cell.ts";
import type { StoreRules } from "../../reports/rules.ts";

/**
 * Pure helpers of the overview: how products are ranked, how a change is measured, the sparkline's points,
 * and the one survey reason shown beside a product. No I/O (unit-tested in `ranking.test.ts`).
 */

/** A negative-expression rate with its 95 % Wilson interval (0–1). */
export interface Rate {
  rate: number;
  lower: number;
  upper: number;
}

/**
 * Products most certainly drawing negative expressions first: by the lower bound of the interval (a high
 * rate over few interactions has a low bound and ranks below a moderately high rate over many), then more
 * interactions, then name. Products without a visible rate (fewer than k interactions, or suppressed as a
 * complement) are left out: they cannot be shown, so they cannot be ranked.
 */
export function rankByLowerBound<T extends { rejection: Rate | null; n: number; name: string }>(
  rows: readonly T[],
): (T & { rejection: Rate })[] {
  return rows
    .filter((r): r is T & { rejection: Rate } => r.rejection !== null)
    .sort(
      (a, b) =>
        b.rejection.lower - a.rejection.lower ||
        b.n - a.n ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

/** Change from the previous period, in rate units (0.05 = 5 percentage points); null when either is hidden. */
export function rateChange(
  current: Rate | null,
  previous: Rate | null,
): { rate: number; lower: number } | null {
  if (!current || !previous) return null;
  return { rate: current.rate - previous.rate, lower: current.lower - previous.lower };
}

/**
 * A product's sparkline: its rate per day (in `days` order), null for a day without interactions or hidden
 * by k. The days add up to the product's total over the period, which the overview shows, so they are
 * suppressed as complements of it (`cellStatsWithComplements`): no hidden day can be read off by subtraction.
 */
export function dailyRates(
  days: readonly string[],
  cells: ReadonlyMap<string, Cell>,
  rules: Pick<StoreRules, "negative" | "includeHesitation" | "k">,
  totalN: number,
): (number | null)[] {
  const stats = cellStatsWithComplements(
    days.map((d) => cells.get(d) ?? new Cell()),
    rules,
    totalN,
  );
  return stats.map((s) => s.rejection?.rate ?? null);
}

/** The answer most respondents gave about a product: a choice option or a free-text topic. */
export interface TopReason {
  label: string;
  /** Responses giving it. */
  count: number;
  /** Responses summarised. */
  responses: number;
  source: "choice" | "topic";
}

/**
 * The top survey reason of a product, or null while it has fewer than `k` responses (survey summaries follow
 * the reports' k: a reason from two shoppers describes two people). The most picked option of any choice
 * question or the largest free-text topic, whichever more responses gave; ties go to the choice (worded by
 * the store, not derived), then the label.
 */
export function topReason(summary: ItemSurveySummary, k: number): TopReason | null {
  if (summary.responses < k || summary.responses === 0) return null;
  const candidates: TopReason[] = [
    ...summary.choices.flatMap((q) =>
      q.options.map((o) => ({
        label: o.label,
        count: o.count,
        responses: summary.responses,
        source: "choice" as const,
      })),
    ),
    ...summary.topics.map((t) => ({
      label: t.label,
      count: t.count,
      responses: summary.responses,
      source: "topic" as const,
    })),
  ].filter((c) => c.count > 0);
  candidates.sort(
    (a, b) =>
      b.count - a.count ||
      (a.source === b.source ? 0 : a.source === "choice" ? -1 : 1) ||
      (a.label < b.label ? -1 : a.label > b.label ? 1 : 0),
  );
  return candidates[0] ?? null;
}

/** The days (`YYYY-MM-DD`) from `fromDay` to `toDay` inclusive. */
export function daysBetween(fromDay: string, toDay: string): string[] {
  const out: string[] = [];
  const d = new Date(`${fromDay}T00:00:00Z`);
  const end = new Date(`${toDay}T00:00:00Z`);
  while (d <= end && out.length < 400) {
    out.push(d.toISOString().slice(0, 10));
    d.setUTCDate(d.getUTCDate() + 1);
  }
  return out;
}
