import type { Role } from "@shelf/db";

/**
 * Who may do what in a store: the one definition the role procedures (`trpc.ts`) enforce and the web app's
 * navigation shows. Client-safe (types only from the database package).
 */
export const MEMBER_ROLES = ["merchandiser", "staff", "admin"] as const satisfies readonly Role[];
/** Reports, flags, surveys' summaries and sales: merchandisers and admins. */
export const REPORT_ROLES = ["merchandiser", "admin"] as const satisfies readonly Role[];
/** Cameras, calibration, zones and planograms: store staff and admins. */
export const STAFF_ROLES = ["staff", "admin"] as const satisfies readonly Role[];
/** Rules, people, kiosks and the audit log. */
export const ADMIN_ROLES = ["admin"] as const satisfies readonly Role[];
