import Papa from "papaparse";
import { EXPRESSIONS } from "@shelf/core";
import type { CellStats } from "./cell.ts";

export type CsvRow = Record<string, string | number | boolean | null>;

/**
 * CSV text of report rows: a header from the first row's keys, and cells that a spreadsheet would run as
 * formulas (=, +, -, @ …) escaped, since product and zone names are user input.
 */
export function toCsv(rows: CsvRow[], columns?: string[]): string {
  return Papa.unparse(rows, { escapeFormulae: true, newline: "\r\n", ...(columns ? { columns } : {}) });
}

const round = (x: number | null | undefined, digits = 4) =>
  x === null || x === undefined ? null : Number(x.toFixed(digits));

/** A cell's columns (empty where hidden below k). */
export function cellColumns(c: CellStats): CsvRow {
  return {
    interactions: c.n,
    hidden_below_k: c.hidden,
    ...Object.fromEntries(EXPRESSIONS.map((e) => [`count_${e}`, c.counts ? c.counts[e] : null])),
    mean_valence: round(c.meanValence, 2),
    mean_dwell_ms: round(c.meanDwellMs, 0),
    hesitation_rate: round(c.hesitationRate),
    rejection_negatives: c.rejection?.negatives ?? null,
    rejection_rate: round(c.rejection?.rate),
    rejection_lower_95: round(c.rejection?.lower),
    rejection_upper_95: round(c.rejection?.upper),
  };
}
