import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { EmptyState } from "~/components/notice";
import { PageHeader } from "~/components/page-header";
import { link } from "~/lib/classes";
import { STORE_TABS, storeHome } from "~/lib/roles";
import { requireUser } from "~/server/auth/guards";
import { api } from "~/trpc/server";

export const metadata: Metadata = { title: "Your stores — Shelf Sentiment" };

/** The stores you have a role in; with exactly one, straight into it. */
export default async function HomePage() {
  await requireUser("/");
  const { user, stores } = await api().session.me();
  if (stores.length === 1 && !user.isSuperAdmin) redirect(storeHome(stores[0]!.slug, stores[0]!.role));
  return (
    <section aria-labelledby="stores-heading" className="space-y-6">
      <PageHeader
        id="stores-heading"
        title="Your stores"
        description="Open a store to see its products, map and live view, or to set it up."
        actions={
          stores.some((s) => s.role !== "staff") ? (
            <Link href="/overview" className={link} data-testid="chain-overview-link">
              What needs attention across your stores
            </Link>
          ) : undefined
        }
      />
      {stores.length === 0 ? (
        <EmptyState>
          You have no role in any store yet. Ask a store admin to add you
          {user.isSuperAdmin ? ", or open a store under “All stores & people”" : ""}.
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {stores.map((s) => (
            <li
              key={s.slug}
              className="rounded-lg border border-slate-200 bg-white p-5"
              data-testid="store-card"
            >
              <h2 className="text-lg font-semibold">
                <Link href={storeHome(s.slug, s.role)} className={link}>
                  {s.name}
                </Link>
              </h2>
              <p className="text-sm text-slate-500">Your role: {s.role}</p>
              <ul className="mt-3 flex flex-wrap gap-x-3 gap-y-1 text-sm">
                {STORE_TABS.filter((t) => t.roles.includes(s.role)).map((t) => (
                  <li key={t.segment}>
                    <Link href={`/stores/${s.slug}/${t.segment}`} className="text-slate-600 hover:underline">
                      {t.label}
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
