import type { Metadata } from "next";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { dateTime } from "~/lib/format";
import { api } from "~/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Survey QR codes — Shelf Sentiment" };

/**
 * Merchandisers and admins: the items of a store whose survey is running, with their printable QR codes.
 * Signed-out visitors go to sign-in, other roles get 403 (the counts come from shoppers' answers).
 */
export default async function StoreQrPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, REPORT_ROLES, `/qr/${storeSlug}`);
  let data;
  try {
    data = await api().survey.activeSurveys({ storeSlug });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
  const base = `/qr/${encodeURIComponent(data.store.slug)}`;
  return (
    <section aria-labelledby="qr-heading" className="space-y-4">
      <h1 id="qr-heading" className="text-2xl font-semibold">
        Surveys running — {data.store.name}
      </h1>
      <p className="text-sm print:hidden">
        <a className="underline" href={`/stores/${encodeURIComponent(data.store.slug)}/surveys`}>
          ← Surveys tab
        </a>{" "}
        (templates, start or stop a survey, every product&rsquo;s sign). Times in the store&rsquo;s time zone
        ({data.store.timezone}).
      </p>
      <p className="text-sm text-slate-600">
        A product’s survey runs while it is flagged. Print its QR code for the shelf; scanning it opens a
        fresh, single-use, anonymous survey (or a friendly “no survey right now” once the flag clears).
      </p>
      {data.items.length === 0 ? (
        <p className="rounded border border-slate-200 bg-white p-6 text-slate-600">
          No product is flagged right now.
        </p>
      ) : (
        <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
          <thead className="bg-slate-100 text-left text-slate-600">
            <tr>
              <th scope="col" className="px-4 py-2">
                Product
              </th>
              <th scope="col" className="px-4 py-2">
                Flagged
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Responses
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                Declined
              </th>
              <th scope="col" className="px-4 py-2">
                QR code
              </th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((i) => (
              <tr
                key={i.itemId}
                className="border-t border-slate-100"
                data-testid="active-survey"
                data-sku={i.sku}
              >
                <td className="px-4 py-2">
                  <a className="font-medium underline" href={`${base}/${encodeURIComponent(i.itemId)}`}>
                    {i.name}
                  </a>{" "}
                  <span className="font-mono text-xs text-slate-500">{i.sku}</span>
                </td>
                <td className="px-4 py-2">{dateTime(i.flaggedAt, data.store.timezone)}</td>
                <td className="px-4 py-2 text-right tabular-nums">{i.responses}</td>
                <td className="px-4 py-2 text-right tabular-nums">{i.declined}</td>
                <td className="space-x-3 px-4 py-2">
                  <a className="underline" href={`${base}/${encodeURIComponent(i.itemId)}/code.svg`} download>
                    SVG
                  </a>
                  <a className="underline" href={`${base}/${encodeURIComponent(i.itemId)}/code.png`} download>
                    PNG
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
