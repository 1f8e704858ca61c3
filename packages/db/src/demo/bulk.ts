import type { Prisma } from "../generated/prisma/client.ts";

/**
 * Bulk inserts for the demo history: one `INSERT … SELECT FROM unnest($1::type[], …)` per batch, each column
 * one array parameter — the COPY-like path (tens of thousands of rows per statement, a handful of round trips),
 * as the sales import does. Each array travels as one PostgreSQL array literal (text): handing Prisma a JS
 * array costs ~10 µs per element, the literal a few hundred ns. Timestamps travel as ISO strings and are
 * stored as UTC wall clocks (the columns are `timestamp without time zone`, as Prisma writes them).
 */

export type BulkType = "text" | "int" | "bigint" | "float8" | "bool" | "timestamp" | "expression";

export interface BulkColumn {
  name: string;
  type: BulkType;
  values: readonly unknown[];
}

const ARRAY_TYPE: Record<BulkType, string> = {
  text: "text[]",
  int: "int[]",
  bigint: "bigint[]",
  float8: "float8[]",
  bool: "bool[]",
  timestamp: "timestamptz[]",
  expression: "text[]",
};

/** Rows per statement. */
export const BULK_BATCH = 20_000;

/** Inserts the rows given as columns (all the same length) into `table`; returns the rows inserted. */
export async function bulkInsert(
  tx: Prisma.TransactionClient,
  table: string,
  columns: readonly BulkColumn[],
  onConflict = "",
): Promise<number> {
  const length = columns[0]?.values.length ?? 0;
  for (const c of columns)
    if (c.values.length !== length)
      throw new Error(`bulkInsert ${table}: column ${c.name} has ${c.values.length} rows, not ${length}`);
  const select = columns
    .map((c, i) =>
      c.type === "timestamp"
        ? `t.c${i} AT TIME ZONE 'UTC'`
        : c.type === "expression"
          ? `t.c${i}::"ExpressionLabel"`
          : `t.c${i}`,
    )
    .join(", ");
  const sql =
    `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(", ")}) ` +
    `SELECT ${select} FROM unnest(${columns.map((c, i) => `($${i + 1}::text)::${ARRAY_TYPE[c.type]}`).join(", ")}) ` +
    `AS t(${columns.map((_, i) => `c${i}`).join(", ")}) ${onConflict}`;
  let inserted = 0;
  for (let start = 0; start < length; start += BULK_BATCH) {
    const params = columns.map((c) => arrayLiteral(c.type, c.values.slice(start, start + BULK_BATCH)));
    inserted += await tx.$executeRawUnsafe(sql, ...params);
  }
  return inserted;
}

/** A PostgreSQL array literal of `values` (elements quoted and escaped where they are text). */
export function arrayLiteral(type: BulkType, values: readonly unknown[]): string {
  const quote = (v: string) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
  const element = (v: unknown): string => {
    if (v === null || v === undefined) return "NULL";
    switch (type) {
      case "timestamp":
        return quote(new Date(v as number).toISOString());
      case "bool":
        return v ? "t" : "f";
      case "int":
      case "bigint":
      case "float8":
        if (typeof v !== "number" || !Number.isFinite(v))
          throw new Error(`not a finite number: ${String(v)}`);
        return String(v);
      default:
        return quote(String(v));
    }
  };
  return `{${values.map(element).join(",")}}`;
}
