import Link from "next/link";
import type { ReactNode } from "react";
import { AuthConfigError } from "@shelf/api/auth/config";
import { currentUser } from "~/server/auth/current-user";
import { link } from "~/lib/classes";
import { TRPCReactProvider } from "~/trpc/react";
import { SignOutButton } from "./sign-out-button";

/** Everything behind sign-in: the account bar, and client-side tRPC for the pages below. */
export default async function DashboardLayout({ children }: { children: ReactNode }) {
  let user = null;
  try {
    user = await currentUser();
  } catch (err) {
    if (!(err instanceof AuthConfigError)) throw err;
  }
  return (
    <TRPCReactProvider>
      {user ? (
        <nav
          aria-label="Account"
          className="-mt-4 mb-6 flex flex-wrap items-center justify-between gap-3 text-sm"
        >
          <div className="flex items-center gap-4">
            <Link href="/" className={link}>
              Your stores
            </Link>
            {user.isSuperAdmin ? (
              <Link href="/admin" className={link}>
                All stores &amp; people
              </Link>
            ) : null}
          </div>
          <div className="flex items-center gap-3 text-slate-600">
            <span data-testid="signed-in-as">
              {user.name} <span className="text-slate-400">({user.email})</span>
            </span>
            <SignOutButton />
          </div>
        </nav>
      ) : null}
      {children}
    </TRPCReactProvider>
  );
}
