import "server-only";
import { TRPCError } from "@trpc/server";
import { forbidden, notFound, redirect } from "next/navigation";
import type { Role } from "@shelf/db";
import { api } from "~/trpc/server";
import { currentUser } from "~/server/auth/current-user";
import type { SessionUser } from "@shelf/api/auth/session-user";

/** The signed-in user, or off to the sign-in page (coming back to `next` afterwards). */
export async function requireUser(next: string): Promise<SessionUser> {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?next=${encodeURIComponent(next)}`);
  return user;
}

/**
 * The store and the user's role in it, for a page that `roles` may open: otherwise sign-in, 404 (no such
 * store) or 403. The page's procedures check the same again: this only decides what to render.
 */
export async function requireStoreRole(
  storeSlug: string,
  roles: readonly Role[],
  next: string,
): Promise<{
  store: { id: string; slug: string; name: string; timezone: string };
  role: Role;
  user: SessionUser;
}> {
  const user = await requireUser(next);
  let access;
  try {
    access = await api().session.storeAccess({ storeSlug });
  } catch (err) {
    if (err instanceof TRPCError && (err.code === "NOT_FOUND" || err.code === "BAD_REQUEST")) notFound();
    if (err instanceof TRPCError && err.code === "FORBIDDEN") forbidden();
    throw err;
  }
  if (!roles.includes(access.role)) forbidden();
  return { ...access, user };
}
