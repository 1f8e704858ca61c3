import type { Role } from "@shelf/db";
import { ADMIN_ROLES, REPORT_ROLES, STAFF_ROLES } from "@shelf/api/roles";

export interface StoreTab {
  segment: string;
  label: string;
  roles: readonly Role[];
}

/** The store's pages, in navigation order. */
export const STORE_TABS: readonly StoreTab[] = [
  { segment: "overview", label: "Overview", roles: REPORT_ROLES },
  { segment: "products", label: "Products", roles: REPORT_ROLES },
  { segment: "flags", label: "Flagged", roles: REPORT_ROLES },
  { segment: "surveys", label: "Surveys", roles: REPORT_ROLES },
  { segment: "map", label: "Store map", roles: REPORT_ROLES },
  { segment: "live", label: "Live", roles: REPORT_ROLES },
  { segment: "traffic", label: "Traffic", roles: REPORT_ROLES },
  { segment: "sales", label: "Sales import", roles: REPORT_ROLES },
  { segment: "cameras", label: "Cameras", roles: STAFF_ROLES },
  { segment: "zones", label: "Zones & planogram", roles: STAFF_ROLES },
  { segment: "settings", label: "Rules", roles: ADMIN_ROLES },
  { segment: "members", label: "People", roles: ADMIN_ROLES },
  { segment: "kiosks", label: "Kiosks", roles: ADMIN_ROLES },
  { segment: "alerts", label: "Alerts", roles: ADMIN_ROLES },
  { segment: "audit", label: "Audit log", roles: ADMIN_ROLES },
  { segment: "compliance", label: "Compliance", roles: ADMIN_ROLES },
];

/** A store's first page for a role: the Overview for merchandisers and admins, Cameras for staff. */
export function storeHome(slug: string, role: Role): string {
  const tab = STORE_TABS.find((t) => t.roles.includes(role))!;
  return `/stores/${encodeURIComponent(slug)}/${tab.segment}`;
}

const SAME_ORIGIN = "http://shelf.invalid";

/**
 * Where to go after signing in: a path on this site, else "/". Decided the way a browser will read it (the
 * URL parser drops tabs and newlines and turns `\` into `/`, so `/\t/evil.example` means
 * `//evil.example`): resolved against an origin, it must stay on that origin, and what is returned is the
 * parser's own normalised path, not the input.
 */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, SAME_ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== SAME_ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Belt and braces: what we hand back must itself be a plain path (no "//host", no "/\\host").
  return path.startsWith("/") && !/^\/[\\/]/.test(path) ? path : "/";
}
