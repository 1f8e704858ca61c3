import type { Metadata } from "next";
import { PageHeader } from "~/components/page-header";
import { ADMIN_ROLES } from "@shelf/api/roles";
import { requireStoreRole } from "~/server/auth/guards";
import { HydrateClient, prefetch, trpc } from "~/trpc/server";
import { MemberManager } from "./member-manager";

export const metadata: Metadata = { title: "People — Shelf Sentiment" };

export default async function MembersPage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { user } = await requireStoreRole(storeSlug, ADMIN_ROLES, `/stores/${storeSlug}/members`);
  await prefetch(trpc.admin.members.queryOptions({ storeSlug }));
  return (
    <section aria-labelledby="members-heading" className="space-y-4">
      <PageHeader
        id="members-heading"
        title="People"
        description="Who may do what in this store: merchandisers read reports, staff set up cameras and shelves, admins set the rules and manage people."
      />
      <HydrateClient>
        <MemberManager storeSlug={storeSlug} userId={user.id} />
      </HydrateClient>
    </section>
  );
}
