import type { Metadata } from "next";
import { headers } from "next/headers";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { isLocalOrigin, noticePath, noticeUrl } from "@shelf/api/routers/compliance/notice-url";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { publicOrigin } from "@shelf/api/survey/http";
import { ControllerForm } from "~/components/compliance/controller-form";
import { ComplianceChecklist } from "~/components/compliance/compliance-checklist";
import { PageHeader } from "~/components/page-header";
import { link } from "~/lib/classes";
import { requireStoreRole } from "~/server/auth/guards";
import { api, HydrateClient, prefetch, trpc } from "~/trpc/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Compliance — Shelf Sentiment" };

/**
 * Admins: the compliance pack of a store — who runs the cameras, the public privacy notice, the printable
 * entrance sign, and the records-of-processing / DPIA starter export.
 */
export default async function CompliancePage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/compliance`);
  const [notice] = await Promise.all([
    api().compliance.notice({ storeSlug }),
    prefetch(trpc.compliance.controller.queryOptions({ storeSlug })),
  ]);
  const origin = publicOrigin(surveyConfigFromEnv().publicBaseUrl, await headers());
  const url = noticeUrl(origin, storeSlug);
  const slug = encodeURIComponent(storeSlug);
  return (
    <section aria-labelledby="compliance-heading" className="space-y-6">
      <PageHeader
        id="compliance-heading"
        title="Compliance"
        description="People in the store must be told that cameras estimate their facial expressions (EU AI Act Art. 50(3), from August 2026), and monitoring a public area needs a data protection impact assessment (GDPR Art. 35). Everything below is filled in from this store's cameras, zones and rules."
      />
      {isLocalOrigin(origin) ? (
        <p
          role="alert"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          data-testid="local-origin-warning"
        >
          The notice&rsquo;s address is {url}, which works only on this computer. Set PUBLIC_BASE_URL to the
          address shoppers&rsquo; phones can reach before printing the sign.
        </p>
      ) : null}
      <ComplianceChecklist notice={notice} />
      <ul className="grid gap-3 sm:grid-cols-3">
        <li className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <a className={link} href={noticePath(storeSlug)} data-testid="notice-link">
            Public privacy notice
          </a>
          <p className="mt-1 break-all text-slate-600">No sign-in needed: {url}</p>
        </li>
        <li className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <a className={link} href={`/stores/${slug}/compliance/sign`} data-testid="sign-link">
            Entrance sign (print, A4)
          </a>
          <p className="mt-1 text-slate-600">Hang one at every entrance, before the first camera.</p>
        </li>
        <li className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <a className={link} href={`/api/compliance/${slug}/dpia.md`} download data-testid="dpia-link">
            Records of processing / DPIA starter (Markdown)
          </a>
          <p className="mt-1 text-slate-600">
            What the system knows, filled in; the sections marked TODO are yours to complete.
          </p>
        </li>
      </ul>
      <HydrateClient>
        <ControllerForm storeSlug={storeSlug} />
      </HydrateClient>
    </section>
  );
}
