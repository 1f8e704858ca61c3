import { countNegatives, EXPRESSIONS, wilsonInterval, type Expression, type NegativeRule } from "@shelf/core";
import { zeroCounts, type ExpressionCounts, type StoreRules } from "./rules.ts";

/** One rollup group: one dominant expression's sums within a cell (hour × zone × item, or any union). */
export interface RollupSums {
  expression: Expression;
  count: number;
  hesitationCount: number;
  /** ms */
  dwellMsSum: number;
  valenceSum: number;
}

/** Sums of rollup rows making up one report cell (an item, a zone, an hour, a day…). */
export class Cell {
  readonly counts: ExpressionCounts = zeroCounts();
  readonly hesitations: ExpressionCounts = zeroCounts();
  n = 0;
  /** ms */
  dwellMsSum = 0;
  valenceSum = 0;

  add(row: RollupSums): this {
    this.counts[row.expression] += row.count;
    this.hesitations[row.expression] += row.hesitationCount;
    this.n += row.count;
    this.dwellMsSum += row.dwellMsSum;
    this.valenceSum += row.valenceSum;
    return this;
  }

  /** Rejections under the store's rule — the same `countNegatives` the worker scores with. */
  negatives(rule: NegativeRule): number {
    return countNegatives(
      EXPRESSIONS.map((e) => ({
        expression: e,
        count: this.counts[e],
        hesitationCount: this.hesitations[e],
      })),
      rule,
    );
  }
}

/** A report cell as the UI and CSV see it: everything but `n` is null when n < k. */
export interface CellStats {
  n: number;
  /** n < k: only the count is shown. */
  hidden: boolean;
  /** Interactions per dominant expression. */
  counts: ExpressionCounts | null;
  /** Share of interactions per dominant expression (0–1). */
  mix: ExpressionCounts | null;
  /** −100…100 */
  meanValence: number | null;
  /** ms */
  meanDwellMs: number | null;
  /** Share of interactions with hesitation (0–1). */
  hesitationRate: number | null;
  /** Negative-interaction rate with its 95 % Wilson interval (0–1). */
  rejection: { negatives: number; rate: number; lower: number; upper: number } | null;
}

export function cellStats(
  cell: Cell,
  rules: Pick<StoreRules, "negative" | "includeHesitation" | "k">,
): CellStats {
  const n = cell.n;
  if (n < rules.k || n === 0)
    return {
      n,
      hidden: n > 0,
      counts: null,
      mix: null,
      meanValence: null,
      meanDwellMs: null,
      hesitationRate: null,
      rejection: null,
    };
  const negatives = cell.negatives(rules);
  const { rate, lower, upper } = wilsonInterval(negatives, n);
  let hesitations = 0;
  for (const e of EXPRESSIONS) hesitations += cell.hesitations[e];
  return {
    n,
    hidden: false,
    counts: { ...cell.counts },
    mix: Object.fromEntries(EXPRESSIONS.map((e) => [e, cell.counts[e] / n])) as ExpressionCounts,
    meanValence: cell.valenceSum / n,
    meanDwellMs: cell.dwellMsSum / n,
    hesitationRate: hesitations / n,
    rejection: { negatives, rate, lower, upper },
  };
}

/** Groups rows into cells by a key. */
export function cellsBy<R extends RollupSums>(
  rows: readonly R[],
  key: (row: R) => string,
): Map<string, Cell> {
  const cells = new Map<string, Cell>();
  for (const row of rows) {
    const k = key(row);
    let cell = cells.get(k);
    if (!cell) cells.set(k, (cell = new Cell()));
    cell.add(row);
  }
  return cells;
}

/** The shape of a suppressed cell: its count only. */
function hiddenStats(n: number): CellStats {
  return {
    n,
    hidden: n > 0,
    counts: null,
    mix: null,
    meanValence: null,
    meanDwellMs: null,
    hesitationRate: null,
    rejection: null,
  };
}

/**
 * Stats of cells that add up to a total shown elsewhere (a row's total, the item's totals, a zone), with
 * secondary (complementary) suppression: when the total is shown, total − the shown cells is the sum of the
 * hidden ones, so a single hidden cell (or several adding up to fewer than k interactions) could be read off
 * by subtraction. While the interactions not shown (hidden cells, plus those in the total that belong to
 * no listed cell) number 1 … k − 1, the smallest shown cell is hidden too, and so on.
 *
 * `totalN` is the total's count; without it the cells' own sum is taken (e.g. the 24 hours of a day, whose
 * total another report shows). Cells keep their order.
 */
export function cellStatsWithComplements(
  cells: readonly Cell[],
  rules: Pick<StoreRules, "negative" | "includeHesitation" | "k">,
  totalN?: number,
): CellStats[] {
  const stats = cells.map((c) => cellStats(c, rules));
  const listed = cells.reduce((s, c) => s + c.n, 0);
  const total = totalN ?? listed;
  // A total below k is itself hidden: nothing can be subtracted from it.
  if (total < rules.k) return stats;
  let unknown = Math.max(0, total - listed) + stats.reduce((s, st) => s + (st.hidden ? st.n : 0), 0);
  while (unknown > 0 && unknown < rules.k) {
    let smallest = -1;
    stats.forEach((st, i) => {
      if (!st.hidden && st.n > 0 && (smallest < 0 || st.n < stats[smallest]!.n)) smallest = i;
    });
    if (smallest < 0) break;
    stats[smallest] = hiddenStats(stats[smallest]!.n);
    unknown += stats[smallest]!.n;
  }
  return stats;
}
