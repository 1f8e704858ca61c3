import Link from "next/link";
import type { RouterOutputs } from "@shelf/api/root";
import { EmptyState } from "~/components/notice";
import { TableScroll, scrollTableClass } from "~/components/ui/table-scroll";
import { link, td, th } from "~/lib/classes";
import { rateWithBounds } from "~/lib/format";
import { Sparkline } from "./sparkline";

type Product = RouterOutputs["overview"]["store"]["products"][number];

const STATUS: Record<string, string> = {
  new: "Flagged — new",
  acknowledged: "Flagged — acknowledged",
  "resolved-open": "Resolved, still above threshold",
};

/** Change in percentage points, with an arrow; "—" when either period is hidden. */
function change(c: Product["change"]): string {
  if (!c) return "—";
  const pp = c.rate * 100;
  if (Math.abs(pp) < 0.5) return "± 0 pp";
  return `${pp > 0 ? "▲ +" : "▼ −"}${Math.abs(pp).toFixed(0)} pp`;
}

/**
 * Products needing attention, most certain first: rate with its 95 % interval over interactions, change vs
 * the previous period, a daily sparkline, the flag and the top survey reason. One table for a store and for
 * the chain (`storeOf` adds a Store column).
 */
export function AttentionTable({
  products,
  days,
  storeOf,
  caption,
}: {
  products: (Product & { store: { slug: string; name: string } })[];
  /** The sparklines' days (per store: each store counts days in its own time zone). */
  days: (storeSlug: string) => readonly string[];
  storeOf?: boolean;
  caption: string;
}) {
  if (products.length === 0)
    return (
      <EmptyState testId="no-attention">
        No product has enough interactions in this period to show a rate (at least k per product).
      </EmptyState>
    );
  return (
    <TableScroll label={caption}>
      <table className={scrollTableClass} data-testid="attention-table">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-slate-600">
          <tr>
            <th scope="col" className={th}>
              Product
            </th>
            {storeOf ? (
              <th scope="col" className={th}>
                Store
              </th>
            ) : null}
            <th scope="col" className={`${th} text-right`}>
              Negative-expression rate (95 % CI)
            </th>
            <th scope="col" className={`${th} text-right`}>
              Interactions
            </th>
            <th scope="col" className={`${th} text-right`}>
              vs previous period
            </th>
            <th scope="col" className={th}>
              Daily
            </th>
            <th scope="col" className={th}>
              Top survey reason
            </th>
            <th scope="col" className={th}>
              Flag
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {products.map((p) => {
            const slug = p.store.slug;
            const href = `/stores/${slug}/products/${p.itemId}`;
            return (
              <tr key={`${slug ?? ""}-${p.itemId}`} data-testid="attention-row" data-sku={p.sku}>
                <th scope="row" className={`${td} text-left font-normal`}>
                  <Link href={href} className={link}>
                    {p.name}
                  </Link>
                  <div className="font-mono text-xs text-slate-500">{p.sku}</div>
                </th>
                {storeOf ? <td className={td}>{p.store.name}</td> : null}
                <td className={`${td} text-right tabular-nums`}>{rateWithBounds(p.rejection)}</td>
                <td className={`${td} text-right tabular-nums`}>{p.n}</td>
                <td
                  className={`${td} text-right tabular-nums`}
                  title={
                    p.previous
                      ? `previous period: ${rateWithBounds(p.previous)} over ${p.previous.n} interactions`
                      : "previous period: fewer than k interactions"
                  }
                >
                  {change(p.change)}
                </td>
                <td className={td}>
                  <Sparkline values={p.spark} days={days(slug)} />
                </td>
                <td className={td} data-testid="top-reason">
                  {p.reason ? (
                    <>
                      {p.reason.label}{" "}
                      <span className="text-xs text-slate-500">
                        ({p.reason.count} of {p.reason.responses} responses)
                      </span>
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className={td}>
                  {p.flag ? (
                    <Link href={`/stores/${slug}/flags`} className="text-red-700 hover:underline">
                      {STATUS[p.flag.status] ?? p.flag.status}
                    </Link>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
