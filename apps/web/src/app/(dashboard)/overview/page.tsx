import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { link } from "~/lib/classes";
import { requireUser } from "~/server/auth/guards";
import { api } from "~/trpc/server";
import { AttentionTable } from "./attention-table";
import { overviewDays, PeriodLinks } from "./period-links";

export const metadata: Metadata = { title: "Chain overview — Shelf Sentiment" };

/** Every store whose reports you read, at a glance: the products to look at first and the open flags. */
export default async function ChainOverviewPage({
  searchParams,
}: {
  searchParams: Promise<{ days?: string | string[] }>;
}) {
  await requireUser("/overview");
  const days = overviewDays((await searchParams).days);
  const o = await api().overview.chain({ days });
  const daysOf = new Map(o.stores.map((s) => [s.store.slug, s.days]));
  return (
    <section aria-labelledby="chain-heading" className="space-y-6">
      <PageHeader
        id="chain-heading"
        title="All stores"
        description={`Products whose negative-expression rate is most certainly high over the last ${days} days, across the stores whose reports you read, and each store's open flags. Each store counts with its own rules, k and time zone.`}
        actions={<PeriodLinks base="/overview" days={days} />}
      />
      {o.stores.length === 0 ? (
        <EmptyState>You read no store’s reports (merchandiser or admin role needed).</EmptyState>
      ) : (
        <>
          <AttentionTable
            products={o.products}
            days={(slug) => daysOf.get(slug) ?? []}
            storeOf
            caption="Products across stores by the lower bound of their negative-expression rate"
          />
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {o.stores.map((s) => (
              <li
                key={s.store.slug}
                className="rounded-lg border border-slate-200 bg-white p-4"
                data-testid="chain-store"
              >
                <h2 className="font-semibold">
                  <Link href={`/stores/${s.store.slug}/overview?days=${days}`} className={link}>
                    {s.store.name}
                  </Link>
                </h2>
                <p className="text-sm text-slate-600">
                  Flags: {s.flags.new} new · {s.flags.acknowledged} acknowledged · {s.flags.resolvedOpen}{" "}
                  resolved but still above threshold
                </p>
                <p className="text-sm text-slate-600">
                  Top:{" "}
                  {s.top.length ? s.top.map((p) => p.name).join(", ") : "no product with enough interactions"}
                </p>
              </li>
            ))}
          </ul>
          {o.truncated ? <p className="text-sm text-slate-500">Only the first 50 stores are shown.</p> : null}
        </>
      )}
    </section>
  );
}
