import { TRPCError } from "@trpc/server";
import { webEnv } from "~/env";
import { api } from "~/trpc/server";
import { ExpressionLegend, ExpressionMix } from "./expression-mix";

export const dynamic = "force-dynamic";

export default async function ProductsPage({ searchParams }: { searchParams: Promise<{ store?: string }> }) {
  const storeSlug = (await searchParams).store ?? webEnv().DEFAULT_STORE_SLUG;
  let data;
  try {
    data = await api().reports.itemSummaries({ storeSlug });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") {
      return (
        <p role="alert" className="rounded border border-amber-300 bg-amber-50 p-4">
          Store “{storeSlug}” does not exist. Run <code>npm start</code> to seed the demo store.
        </p>
      );
    }
    throw error;
  }
  return (
    <section aria-labelledby="products-heading" className="space-y-4">
      <div className="flex items-end justify-between">
        <div>
          <h1 id="products-heading" className="text-2xl font-semibold">
            Products — {data.store.name}
          </h1>
          <p className="text-sm text-slate-500">
            Anonymous interactions per product and the mix of dominant expressions. Mixes of products with
            fewer than {data.k} interactions are hidden.
          </p>
        </div>
        <ExpressionLegend />
      </div>
      {data.items.length === 0 ? (
        <p className="rounded border border-slate-200 bg-white p-6 text-slate-600">
          No products are placed on this store’s shelves yet.
        </p>
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                Product
              </th>
              <th scope="col" className="px-4 py-2">
                SKU
              </th>
              <th scope="col" className="px-4 py-2">
                Category
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Interactions
              </th>
              <th scope="col" className="px-4 py-2">
                Expression mix
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Valence
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((item) => (
              <tr
                key={item.itemId}
                className="border-t border-slate-100"
                data-testid="item-row"
                data-sku={item.sku}
              >
                <td className="px-4 py-2 font-medium">{item.name}</td>
                <td className="px-4 py-2 font-mono text-xs">{item.sku}</td>
                <td className="px-4 py-2">{item.category}</td>
                <td className="px-4 py-2 text-right tabular-nums" data-testid="interactions">
                  {item.interactions}
                </td>
                <td className="px-4 py-2">
                  {item.mix ? (
                    <ExpressionMix mix={item.mix} />
                  ) : item.interactions === 0 ? (
                    <span className="text-slate-400">no interactions yet</span>
                  ) : (
                    <span className="text-slate-400">hidden (n &lt; {data.k})</span>
                  )}
                </td>
                <td className="px-4 py-2 text-right tabular-nums">
                  {item.meanValence === null ? "—" : item.meanValence.toFixed(0)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
