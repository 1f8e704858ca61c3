import { redirect } from "next/navigation";
import { storeHome } from "~/lib/roles";
import { requireStoreRole } from "~/server/auth/guards";

/** A store's address opens the first page of your role. */
export default async function StorePage({ params }: { params: Promise<{ storeSlug: string }> }) {
  const { storeSlug } = await params;
  const { store, role } = await requireStoreRole(
    storeSlug,
    ["merchandiser", "staff", "admin"],
    `/stores/${storeSlug}`,
  );
  redirect(storeHome(store.slug, role));
}
