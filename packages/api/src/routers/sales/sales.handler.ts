import type { StoreContext } from "../../trpc.ts";
import { writeAudit } from "../../audit.ts";
import { parseSalesCsv, type SalesParseError } from "./parse-sales-csv.ts";
import type { ImportSalesInput } from "./schemas.ts";

/** Errors listed back at most (the count says how many there were). */
const MAX_ERRORS_SHOWN = 50;

export type ImportSalesResult =
  | { ok: true; rows: number; items: number; from: Date; to: Date }
  | { ok: false; errorCount: number; errors: SalesParseError[] };

/**
 * Imports a sales CSV for the store (see parse-sales-csv.ts for the format): all rows or none. A row for a
 * product and period start already imported replaces it. Audited (counts, not contents).
 */
export async function importSales({
  ctx,
  input,
}: {
  ctx: Pick<StoreContext, "db" | "store" | "user">;
  input: ImportSalesInput;
}): Promise<ImportSalesResult> {
  const { db, store, user } = ctx;
  const { rows, errors } = parseSalesCsv(input.csv, store.timezone);
  const skus = [...new Set(rows.map((r) => r.sku))];
  const items = await db.item.findMany({ where: { sku: { in: skus } }, select: { id: true, sku: true } });
  const itemOf = new Map(items.map((i) => [i.sku, i.id]));
  for (const r of rows)
    if (!itemOf.has(r.sku)) errors.push({ line: r.line, message: `no product with SKU "${r.sku}"` });
  if (errors.length) {
    errors.sort((a, b) => a.line - b.line);
    return { ok: false, errorCount: errors.length, errors: errors.slice(0, MAX_ERRORS_SHOWN) };
  }
  const chunk = 2000;
  await db.$transaction(
    async (tx) => {
      for (let i = 0; i < rows.length; i += chunk) {
        const part = rows.slice(i, i + chunk);
        await tx.$executeRaw`
          INSERT INTO "SalesRecord" (id, "storeId", "itemId", "periodStart", "periodEnd", units, "revenueMinor", currency, "importedAt")
          SELECT gen_random_uuid()::text, ${store.id}, t.item, t.ps AT TIME ZONE 'UTC', t.pe AT TIME ZONE 'UTC', t.units, t.revenue, t.currency, now() AT TIME ZONE 'UTC'
          FROM unnest(
            ${part.map((r) => itemOf.get(r.sku)!)}::text[],
            ${part.map((r) => r.periodStart.toISOString())}::timestamptz[],
            ${part.map((r) => r.periodEnd.toISOString())}::timestamptz[],
            ${part.map((r) => r.units)}::int[],
            ${part.map((r) => r.revenueMinor)}::int[],
            ${part.map((r) => r.currency)}::text[]
          ) AS t(item, ps, pe, units, revenue, currency)
          -- Columns are UTC wall clocks (timestamp without time zone), as Prisma writes them.
          ON CONFLICT ("storeId", "itemId", "periodStart") DO UPDATE SET
            "periodEnd" = EXCLUDED."periodEnd", units = EXCLUDED.units, "revenueMinor" = EXCLUDED."revenueMinor",
            currency = EXCLUDED.currency, "importedAt" = EXCLUDED."importedAt"`;
      }
      const from = new Date(Math.min(...rows.map((r) => r.periodStart.getTime())));
      const to = new Date(Math.max(...rows.map((r) => r.periodEnd.getTime())));
      await writeAudit(tx, {
        storeId: store.id,
        userId: user.id,
        action: "sales.import",
        entity: "SalesRecord",
        after: { rows: rows.length, items: skus.length, from, to },
      });
    },
    { timeout: 60_000 },
  );
  return {
    ok: true,
    rows: rows.length,
    items: skus.length,
    from: new Date(Math.min(...rows.map((r) => r.periodStart.getTime()))),
    to: new Date(Math.max(...rows.map((r) => r.periodEnd.getTime()))),
  };
}

/** Sales imported for the store, per product: periods, span and totals. */
export async function salesOverview({ ctx }: { ctx: Pick<StoreContext, "db" | "store"> }) {
  const groups = await ctx.db.salesRecord.groupBy({
    by: ["itemId", "currency"],
    where: { storeId: ctx.store.id },
    _count: { _all: true },
    _min: { periodStart: true },
    _max: { periodEnd: true, importedAt: true },
    _sum: { units: true, revenueMinor: true },
  });
  const items = await ctx.db.item.findMany({
    where: { id: { in: groups.map((g) => g.itemId) } },
    select: { id: true, sku: true, name: true },
  });
  const itemOf = new Map(items.map((i) => [i.id, i]));
  return groups
    .map((g) => ({
      item: itemOf.get(g.itemId)!,
      currency: g.currency,
      periods: g._count._all,
      from: g._min.periodStart,
      to: g._max.periodEnd,
      lastImportAt: g._max.importedAt,
      units: g._sum.units ?? 0,
      revenueMinor: g._sum.revenueMinor ?? 0,
    }))
    .sort((a, b) => a.item.name.localeCompare(b.item.name));
}
