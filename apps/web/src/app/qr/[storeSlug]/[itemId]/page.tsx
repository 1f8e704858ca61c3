import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { publicOrigin } from "@shelf/api/survey/http";
import { shelfSignUrl } from "@shelf/api/survey/shelf-qr";
import { api } from "~/trpc/server";
import { PublicOriginWarning } from "../../_components/public-origin-warning";
import { SurveySummaryView } from "../../_components/survey-summary";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Product survey — Shelf Sentiment" };

/**
 * Merchandisers and admins: one product's survey. The top is a printable shelf sign (the page prints only
 * the sign) whose QR code holds the product's short sign code (retired from the Surveys tab); below, the
 * answers so far, which quote shoppers' free text: signed-out visitors go to sign-in, other roles get 403.
 */
export default async function ItemQrPage({
  params,
}: {
  params: Promise<{ storeSlug: string; itemId: string }>;
}) {
  const { storeSlug, itemId } = await params;
  await requireStoreRole(storeSlug, REPORT_ROLES, `/qr/${storeSlug}/${itemId}`);
  let data;
  let sign;
  try {
    [data, sign] = await Promise.all([
      api().survey.itemSummary({ storeSlug, itemId }),
      api().survey.shelfSign({ storeSlug, itemId }),
    ]);
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    throw err;
  }
  const config = surveyConfigFromEnv();
  const url = shelfSignUrl(publicOrigin(config.publicBaseUrl, await headers()), sign.code);
  const base = `/qr/${encodeURIComponent(data.store.slug)}/${encodeURIComponent(data.item.id)}`;
  const surveysTab = `/stores/${encodeURIComponent(data.store.slug)}/surveys`;
  return (
    <div className="space-y-10">
      <div className="space-y-2 print:hidden">
        <p className="text-sm">
          <a className="underline" href={surveysTab}>
            ← Surveys — {data.store.name}
          </a>{" "}
          · Print this page (Ctrl/⌘ + P): only the sign prints.
        </p>
        <PublicOriginWarning url={url} configured={config.publicBaseUrl !== null} />
      </div>
      <section
        aria-labelledby="sign-heading"
        className="mx-auto max-w-md space-y-4 rounded-2xl border-2 border-slate-900 bg-white p-8 text-center print:border-0"
      >
        <h1 id="sign-heading" className="text-3xl font-semibold">
          What do you think of {data.item.name}?
        </h1>
        <p className="text-lg">
          Scan to answer{" "}
          {data.questions.length === 1 ? "one quick question" : `${data.questions.length} quick questions`}.
          Anonymous — nothing identifies you.
        </p>
        {/* An <img> of our own SVG route: no markup is injected into the page. */}
        <img
          src={`${base}/code.svg`}
          alt={`QR code that opens the anonymous survey about ${data.item.name}`}
          width={320}
          height={320}
          className="mx-auto"
        />
        <p className="break-all font-mono text-xs text-slate-500" data-testid="qr-url">
          {url}
        </p>
        <p className="text-xs text-slate-500" data-testid="qr-issued">
          Code issued {sign.issuedAtText}
        </p>
      </section>

      <div className="space-y-6 print:hidden">
        <p className="text-sm">
          Download:{" "}
          <a className="underline" href={`${base}/code.svg`} download>
            SVG
          </a>{" "}
          ·{" "}
          <a className="underline" href={`${base}/code.png?width=1200`} download>
            PNG (1200 px)
          </a>{" "}
          · Print this page for a ready-made sign. Every print of this product&rsquo;s sign holds the same
          code until you retire it on the{" "}
          <a className="underline" href={surveysTab}>
            Surveys
          </a>{" "}
          tab (lost or vandalised signs): then print again.
        </p>
        {data.active ? null : (
          <p role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
            This product&rsquo;s survey is not running now (it runs while the product is flagged, or when
            started on the Surveys tab): scanning shows “no survey right now”.
          </p>
        )}
        <section aria-labelledby="results-heading" className="space-y-4">
          <h2 id="results-heading" className="text-xl font-semibold">
            Answers so far — {data.store.name}
          </h2>
          <SurveySummaryView summary={data.summary} questions={data.questions} />
          {data.truncated ? (
            <p className="text-sm text-slate-500">Summary of the newest 2,000 responses.</p>
          ) : null}
        </section>
      </div>
    </div>
  );
}
