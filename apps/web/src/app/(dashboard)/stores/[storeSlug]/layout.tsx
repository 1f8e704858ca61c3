import type { ReactNode } from "react";
import { TRPCError } from "@trpc/server";
import { STORE_TABS } from "~/lib/roles";
import { api } from "~/trpc/server";
import { StoreTabs } from "./store-tabs";

/**
 * A store's frame: its name, your role, and the pages your role may open. Access itself is decided by each
 * page (and again by every procedure); a caller without a role here sees only the page's own answer.
 */
export default async function StoreLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ storeSlug: string }>;
}) {
  const { storeSlug } = await params;
  let access = null;
  try {
    access = await api().session.storeAccess({ storeSlug });
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
  }
  if (!access) return <>{children}</>;
  const tabs = STORE_TABS.filter((t) => t.roles.includes(access.role)).map((t) => ({
    segment: t.segment,
    label: t.label,
  }));
  return (
    <div className="space-y-6">
      <div className="space-y-3 border-b border-slate-200 pb-3">
        <p className="text-sm text-slate-500">
          <span className="font-medium text-slate-800" data-testid="store-name">
            {access.store.name}
          </span>{" "}
          · you are <span data-testid="store-role">{access.role}</span> · times in {access.store.timezone}
        </p>
        <StoreTabs slug={access.store.slug} tabs={tabs} />
      </div>
      {children}
    </div>
  );
}
