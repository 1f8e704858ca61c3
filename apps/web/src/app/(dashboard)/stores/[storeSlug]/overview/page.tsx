import type { Metadata } from "next";
import Link from "next/link";
import type { RouterOutputs } from "@shelf/api/root";
import { REPORT_ROLES } from "@shelf/api/roles";
import { MetricDefinition } from "~/components/metric-definition";
import { PageHeader } from "~/components/page-header";
import { link } from "~/lib/classes";
import { date, dateTime, rateWithBounds } from "~/lib/format";
import { requireStoreRole } from "~/server/auth/guards";
import { api } from "~/trpc/server";
import { AttentionTable } from "../../../overview/attention-table";
import { overviewDays, PeriodLinks } from "../../../overview/period-links";

export const metadata: Metadata = { title: "Overview — Shelf Sentiment" };

type Flag = RouterOutputs["overview"]["store"]["flags"]["new"][number];

function FlagGroup({
  title,
  flags,
  storeSlug,
  timeZone,
  testId,
}: {
  title: string;
  flags: Flag[];
  storeSlug: string;
  timeZone: string;
  testId: string;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4" data-testid={testId}>
      <h3 className="font-semibold">
        {title} <span className="text-slate-500">({flags.length})</span>
      </h3>
      {flags.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">None.</p>
      ) : (
        <ul className="mt-2 space-y-2 text-sm">
          {flags.map((f) => (
            <li key={f.flagId}>
              <Link href={`/stores/${storeSlug}/products/${f.item.id}`} className={link}>
                {f.item.name}
              </Link>{" "}
              <span className="text-slate-500">
                {f.current ? rateWithBounds(f.current) : "numbers hidden (under k)"} · flagged{" "}
                {dateTime(f.raisedAt, timeZone)}
                {f.resolved ? ` · resolved by ${f.resolved.by ?? "a deleted user"}` : ""}
                {!f.resolved && f.acknowledged
                  ? ` · acknowledged by ${f.acknowledged.by ?? "a deleted user"}`
                  : ""}
              </span>{" "}
              <Link href={`/qr/${storeSlug}/${f.item.id}`} className="text-xs text-slate-600 underline">
                print shelf sign
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A store's landing page for merchandisers and admins: what needs attention now. */
export default async function StoreOverviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ storeSlug: string }>;
  searchParams: Promise<{ days?: string | string[] }>;
}) {
  const { storeSlug } = await params;
  const { store } = await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/overview`);
  const days = overviewDays((await searchParams).days);
  const [o, rules] = await Promise.all([
    api().overview.store({ storeSlug, days }),
    api().reports.measurement({ storeSlug }),
  ]);
  const last = new Date(o.range.to.getTime() - 1);
  return (
    <section aria-labelledby="overview-heading" className="space-y-6">
      <PageHeader
        id="overview-heading"
        title="Overview"
        description={`What needs attention now: the products whose negative-expression rate is most certainly high over the last ${days} days (${date(o.range.from, store.timezone)} – ${date(last, store.timezone)}), ranked by the lower bound of its 95 % interval, against the ${days} days before.`}
        actions={<PeriodLinks base={`/stores/${storeSlug}/overview`} days={days} />}
      />
      <MetricDefinition rules={rules} />
      <div className="grid gap-4 md:grid-cols-3">
        <FlagGroup
          title="New flags"
          flags={o.flags.new}
          storeSlug={storeSlug}
          timeZone={store.timezone}
          testId="flags-new"
        />
        <FlagGroup
          title="Acknowledged"
          flags={o.flags.acknowledged}
          storeSlug={storeSlug}
          timeZone={store.timezone}
          testId="flags-acknowledged"
        />
        <FlagGroup
          title="Resolved, still above threshold"
          flags={o.flags.resolvedOpen}
          storeSlug={storeSlug}
          timeZone={store.timezone}
          testId="flags-resolved-open"
        />
      </div>
      <p className="text-sm">
        <Link href={`/stores/${storeSlug}/flags`} className={link}>
          All flags: acknowledge, add a note, resolve
        </Link>
      </p>
      <section aria-labelledby="attention-heading" className="space-y-2">
        <h2 id="attention-heading" className="text-lg font-semibold">
          Products to look at
        </h2>
        <AttentionTable
          products={o.products.map((p) => ({ ...p, store: o.store }))}
          days={() => o.days}
          caption={`Products of ${o.store.name} by the lower bound of their negative-expression rate`}
        />
        <p className="text-xs text-slate-500">
          Rates are over interactions (one person at one shelf zone), not shoppers. Products with fewer than k
          = {o.k} interactions in the period are not ranked ({o.hiddenProducts} now); so are days in the
          sparklines. Survey reasons need at least k responses.{" "}
          <Link href={`/stores/${storeSlug}/products`} className={link}>
            All products
          </Link>
        </p>
      </section>
    </section>
  );
}
