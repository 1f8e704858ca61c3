import Papa from "papaparse";
import { EXPRESSIONS } from "@shelf/core";
import type { CellStats } from "./cell.ts";

export type CsvRow = Record<string, string | number | boolean | null>;

/**
 * A cell a spreadsheet could run as a formula, with a leading `'` so it reads as text. Product, zone, camera
 * and store names are user input. Spreadsheets skip leading blanks and control characters before deciding a
 * cell is a formula (`" =1+1"`, `"\n=1+1"`), and Papa's own `escapeFormulae` tests one line only (its
 * regex has no `s` flag, so `"=1+1\nx"` passed it): this checks the whole string, after any leading
 * whitespace or control characters, for = + - @, and a leading tab or CR itself (OWASP's list).
 */
export function escapeCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

// Leading whitespace / control / format characters, then a formula trigger; or a tab or CR first.
const FORMULA_START = /^(?:[\s\p{Cc}\p{Cf}\p{Z}]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/u;

/**
 * CSV text of report rows: a header from the first row's keys (or `columns`), every text cell passed
 * through {@link escapeCsvCell}. Numbers, booleans and nulls are ours, never user text.
 */
export function toCsv(rows: CsvRow[], columns?: string[]): string {
  const safe = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([k, v]) => [k, typeof v === "string" ? escapeCsvCell(v) : v]),
    ),
  );
  return Papa.unparse(safe, { escapeFormulae: false, newline: "\r\n", ...(columns ? { columns } : {}) });
}

const round = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined ? null : Number(x.toFixed(digits));

/**
 * A cell's columns (empty where hidden below k). The rate is the negative-expression rate: the share of
 * interactions (not shoppers) whose expression is in the store's negative set, with its 95 % Wilson bounds;
 * the same `negative_*` names as the flags export.
 */
export function cellColumns(c: CellStats): CsvRow {
  return {
    interactions: c.n,
    hidden_below_k: c.hidden,
    ...Object.fromEntries(EXPRESSIONS.map((e) => [`count_${e}`, c.counts ? c.counts[e] : null])),
    mean_valence: round(c.meanValence, 2),
    mean_dwell_ms: round(c.meanDwellMs, 0),
    hesitation_rate: round(c.hesitationRate),
    negative_interactions: c.rejection?.negatives ?? null,
    negative_rate: round(c.rejection?.rate),
    negative_rate_lower_95: round(c.rejection?.lower),
    negative_rate_upper_95: round(c.rejection?.upper),
  };
}
