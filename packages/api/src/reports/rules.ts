import { EXPRESSIONS, type Expression } from "@shelf/core";

/**
 * A store's rules come from ONE reader: `storeRules(db, storeId)` in `@shelf/db` (the row) over
 * `storeRulesOf` in `@shelf/core` (parsing and defaults). Re-exported here for the report handlers.
 */
export { storeRules } from "@shelf/db";
export type { StoreRules } from "@shelf/core";

/**
 * Lowest k a store admin may set: below it a report cell (or a live push) can show one or two shoppers'
 * expressions. Only a super admin may go lower, e.g. for a demo store without real shoppers.
 */
export const K_ANONYMITY_FLOOR = 5;

export type ExpressionCounts = Record<Expression, number>;

export function zeroCounts(): ExpressionCounts {
  return Object.fromEntries(EXPRESSIONS.map((e) => [e, 0])) as ExpressionCounts;
}
