"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { ExpressionMix } from "~/components/expression-mix";
import { EmptyState } from "~/components/notice";
import { scrollTableClass, TableScroll } from "~/components/ui/table-scroll";
import { focusRing, link, td, th } from "~/lib/classes";
import { duration, pct, rateWithBounds, signed } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

type SortKey = "name" | "n" | "rejection" | "valence";

export function ProductsTable({ input }: { input: { storeSlug: string; from: Date; to: Date } }) {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.reports.itemSummaries.queryOptions(input));
  // Default: the overview's ranking — most certainly negative first (lower bound of the 95 % interval);
  // products hidden under k last, by name (the server's order; the sort is stable).
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "rejection", desc: true });
  const items = useMemo(() => {
    const value = (i: (typeof data.items)[number]): number | string =>
      sort.key === "name"
        ? i.name.toLowerCase()
        : sort.key === "n"
          ? i.n
          : sort.key === "rejection"
            ? (i.rejection?.lower ?? -1)
            : (i.meanValence ?? -1000);
    return [...data.items].sort((a, b) => {
      const [x, y] = [value(a), value(b)];
      const c = x < y ? -1 : x > y ? 1 : 0;
      return sort.desc ? -c : c;
    });
  }, [data.items, sort]);

  if (data.items.length === 0)
    return (
      <EmptyState>
        No products are placed on this store’s shelves yet. Staff add them under “Zones &amp; planogram”.
      </EmptyState>
    );

  const header = (key: SortKey, labelText: string, right = false) => (
    <th
      scope="col"
      className={`${th} ${right ? "text-right" : ""}`}
      aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}
    >
      <button
        type="button"
        className={`rounded ${focusRing} hover:underline`}
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : key !== "name" }))}
      >
        {labelText}
        <span aria-hidden>{sort.key === key ? (sort.desc ? " ↓" : " ↑") : ""}</span>
      </button>
    </th>
  );

  return (
    <TableScroll label={`Products of ${data.store.name}`}>
      <table className={scrollTableClass}>
        <caption className="sr-only">Products of {data.store.name}, sortable</caption>
        <thead className="bg-slate-100 text-slate-600">
          <tr>
            {header("name", "Product")}
            <th scope="col" className={th}>
              SKU
            </th>
            <th scope="col" className={th}>
              Category
            </th>
            {header("n", "Interactions", true)}
            <th scope="col" className={th}>
              Expression mix
            </th>
            {header("valence", "Valence", true)}
            <th scope="col" className={`${th} text-right`}>
              Dwell
            </th>
            {header("rejection", "Negative-expression rate (95 % CI)", true)}
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr
              key={item.itemId}
              className="border-t border-slate-100"
              data-testid="item-row"
              data-sku={item.sku}
            >
              <th scope="row" className={`${td} max-w-40 text-left font-medium sm:max-w-none`}>
                <Link href={`/stores/${data.store.slug}/products/${item.itemId}`} className={link}>
                  {item.name}
                </Link>
                {item.flagged ? (
                  <span
                    className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-800"
                    data-testid="flag-badge"
                  >
                    flagged
                  </span>
                ) : null}
              </th>
              <td className={`${td} font-mono text-xs`}>{item.sku}</td>
              <td className={td}>{item.category}</td>
              <td className={`${td} text-right tabular-nums`} data-testid="interactions">
                {item.n}
              </td>
              <td className={td}>
                {item.mix ? (
                  <ExpressionMix mix={item.mix} />
                ) : item.n === 0 ? (
                  <span className="text-slate-400">no interactions yet</span>
                ) : (
                  <span className="text-slate-400">hidden (n &lt; {data.k})</span>
                )}
              </td>
              <td className={`${td} text-right tabular-nums`}>{signed(item.meanValence)}</td>
              <td className={`${td} text-right tabular-nums`}>{duration(item.meanDwellMs)}</td>
              <td
                className={`${td} text-right tabular-nums`}
                title={
                  item.rejection
                    ? `${item.rejection.negatives} of ${item.n} interactions showed a negative expression; lower bound ${pct(item.rejection.lower, 1)}`
                    : undefined
                }
              >
                {rateWithBounds(item.rejection)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
