"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRef, useState, type FormEvent } from "react";
import { EmptyState, ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass, type Column } from "~/components/ui/data-table";
import { button, label, link, td } from "~/lib/classes";
import { date, dateTime, money } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/** Periods end exclusively: the day a period ends on is the day of its last instant. */
const OVERVIEW_COLUMNS: readonly Column[] = [
  { label: "Product" },
  { label: "Periods", className: "text-right" },
  { label: "From – to" },
  { label: "Units", className: "text-right" },
  { label: "Revenue", className: "text-right" },
  { label: "Last import" },
];
const lastInstant = (end: Date) => new Date(end.getTime() - 1);

const EXAMPLE = `sku,period_start,period_end,units,revenue,currency
SNK-001,2026-11-20,,42,104.58,EUR
SNK-001,2026-11-21T09:00,2026-11-21T12:00,7,17.43,EUR`;

export function SalesImport({ storeSlug, timeZone }: { storeSlug: string; timeZone: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: overview } = useSuspenseQuery(trpc.sales.overview.queryOptions({ storeSlug }));
  const fileRef = useRef<HTMLInputElement>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const importSales = useMutation(
    trpc.sales.import.mutationOptions({
      onSuccess: async (result) => {
        if (result.ok) {
          if (fileRef.current) fileRef.current.value = "";
          await queryClient.invalidateQueries({ queryKey: trpc.sales.pathKey() });
          await queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() });
        }
      },
    }),
  );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setReadError(null);
    const file = fileRef.current?.files?.[0];
    if (!file) return setReadError("Choose a CSV file first.");
    if (file.size > 4_000_000) return setReadError("The file is over 4 MB: split it into several imports.");
    importSales.mutate({ storeSlug, csv: await file.text() });
  }

  const result = importSales.data;
  return (
    <div className="space-y-6">
      <form
        onSubmit={submit}
        className="space-y-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-describedby="csv-format"
      >
        <label className={label}>
          Sales CSV
          <input
            ref={fileRef}
            name="file"
            type="file"
            accept=".csv,text/csv"
            required
            className="text-sm"
            data-testid="sales-file"
          />
        </label>
        <div id="csv-format" className="space-y-1 text-sm text-slate-600">
          <p>
            Columns: <code>sku</code>, <code>period_start</code>, <code>units</code>, <code>revenue</code>{" "}
            (required), <code>period_end</code>, <code>currency</code> (optional, default EUR). Dates are
            store days (<code>YYYY-MM-DD</code>, a whole day in {timeZone}) or times (
            <code>YYYY-MM-DDTHH:MM</code>, one hour unless <code>period_end</code> says otherwise); revenue in
            currency units with up to 2 decimals. A file with any bad line imports nothing; importing a
            product and period again replaces it.
          </p>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{EXAMPLE}</pre>
        </div>
        <button type="submit" className={button} disabled={importSales.isPending}>
          {importSales.isPending ? "Importing…" : "Import"}
        </button>
      </form>
      {readError ? <ErrorNotice>{readError}</ErrorNotice> : null}
      {importSales.error ? (
        <ErrorNotice testId="import-error">{importSales.error.message}</ErrorNotice>
      ) : null}
      {result?.ok === true ? (
        <StatusNotice testId="import-ok">
          Imported {result.rows} rows for {result.items} product{result.items === 1 ? "" : "s"},{" "}
          {date(result.from, timeZone)} to {date(lastInstant(result.to), timeZone)}.
        </StatusNotice>
      ) : null}
      {result?.ok === false ? (
        <ErrorNotice testId="import-errors">
          <p className="font-medium">
            Nothing was imported: {result.errorCount} problem{result.errorCount === 1 ? "" : "s"} in the file.
          </p>
          <ul className="mt-2 list-disc space-y-0.5 pl-5">
            {result.errors.map((e, i) => (
              <li key={i}>
                Line {e.line}: {e.message}
              </li>
            ))}
          </ul>
          {result.errorCount > result.errors.length ? (
            <p className="mt-1">…and {result.errorCount - result.errors.length} more.</p>
          ) : null}
        </ErrorNotice>
      ) : null}
      <section aria-labelledby="imported-heading" className="space-y-2">
        <h2 id="imported-heading" className="text-lg font-semibold">
          Imported so far
        </h2>
        {overview.length === 0 ? (
          <EmptyState>No sales imported yet.</EmptyState>
        ) : (
          <DataTable
            scrollLabel="Sales imported so far"
            columns={OVERVIEW_COLUMNS}
            caption="Sales imported so far, per product and currency"
            testId="sales-overview"
            rows={overview}
            rowKey={(o) => `${o.item.id}-${o.currency}`}
            renderRow={(o) => (
              <tr className={rowClass} data-testid="sales-overview-row" data-sku={o.item.sku}>
                <td className={td}>
                  <Link href={`/stores/${storeSlug}/products/${o.item.id}`} className={link}>
                    {o.item.name}
                  </Link>
                </td>
                <td className={`${td} text-right tabular-nums`}>{o.periods}</td>
                <td className={td}>
                  {o.from ? date(o.from, timeZone) : "—"} – {o.to ? date(lastInstant(o.to), timeZone) : "—"}
                </td>
                <td className={`${td} text-right tabular-nums`}>{o.units}</td>
                <td className={`${td} text-right tabular-nums`}>{money(o.revenueMinor, o.currency)}</td>
                <td className={td}>{dateTime(o.lastImportAt, timeZone)}</td>
              </tr>
            )}
          />
        )}
      </section>
    </div>
  );
}
