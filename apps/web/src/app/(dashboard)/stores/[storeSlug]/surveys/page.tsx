import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { REPORT_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { SurveyItems } from "./survey-items";
import { TemplateManager } from "./template-manager";

export const metadata: Metadata = { title: "Surveys — Shelf Sentiment" };

/**
 * Merchandisers and admins: running a store's shopper surveys — which products are asked about now
 * (start, stop, or follow the flag), their printable shelf signs and answers, and the question templates.
 */
export default async function SurveysPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  await requireStoreRole(storeSlug, REPORT_ROLES, `/stores/${storeSlug}/surveys`);
  await Promise.all([
    prefetch(trpc.survey.items.queryOptions({ storeSlug })),
    prefetch(trpc.survey.templates.queryOptions({ storeSlug })),
  ]);
  return (
    <section aria-labelledby="surveys-heading" className="space-y-8">
      <PageHeader
        id="surveys-heading"
        title="Surveys"
        description="A product's survey runs while it is flagged, unless you start or stop it here. Shoppers reach it by scanning the product's shelf sign or from a kiosk; answers are anonymous and given only after consent."
      />
      <HydrateClient>
        <SurveyItems storeSlug={storeSlug} />
        <TemplateManager storeSlug={storeSlug} />
      </HydrateClient>
    </section>
  );
}
