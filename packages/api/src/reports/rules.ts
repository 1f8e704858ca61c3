import {
  DEFAULT_MIN_SAMPLE,
  DEFAULT_NEGATIVE_SET,
  EXPRESSIONS,
  ZExpression,
  type Expression,
} from "@shelf/core";
import type { DbOrTx } from "../audit.ts";

/** A store's reporting and scoring rules (StoreSettings over the product defaults). */
export interface StoreRules {
  /** Dominant expressions that count as a rejection. */
  negative: ReadonlySet<Expression>;
  /** Also count hesitations (long dwell, no positive expression) among the other interactions. */
  includeHesitation: boolean;
  /** Cells with fewer interactions than this hide everything but their count. */
  k: number;
  minSample: number;
  /** Rolling window of rejection scores, hours. */
  windowHours: number;
  retentionDays: number;
}

/**
 * Lowest k a store admin may set: below it a report cell (or a live push) can show one or two shoppers'
 * expressions. Only a super admin may go lower, e.g. for a demo store without real shoppers.
 */
export const K_ANONYMITY_FLOOR = 5;

/** The schema defaults of StoreSettings, for stores without a row. */
export const DEFAULT_RULES: StoreRules = {
  negative: new Set(DEFAULT_NEGATIVE_SET),
  includeHesitation: false,
  k: 5,
  minSample: DEFAULT_MIN_SAMPLE,
  windowHours: 168,
  retentionDays: 90,
};

export async function storeRules(db: DbOrTx, storeId: string): Promise<StoreRules> {
  const s = await db.storeSettings.findUnique({ where: { storeId } });
  if (!s) return DEFAULT_RULES;
  return {
    negative: new Set(s.negativeExpressions.flatMap((e) => ZExpression.safeParse(e).data ?? [])),
    includeHesitation: s.includeHesitation,
    k: Math.max(1, s.kAnonymity),
    minSample: s.minSample,
    windowHours: s.scoreWindowHours,
    retentionDays: s.retentionDays,
  };
}

export type ExpressionCounts = Record<Expression, number>;

export function zeroCounts(): ExpressionCounts {
  return Object.fromEntries(EXPRESSIONS.map((e) => [e, 0])) as ExpressionCounts;
}
