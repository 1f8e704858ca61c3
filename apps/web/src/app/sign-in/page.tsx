import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { safeNext } from "~/lib/roles";
import { AuthConfigError } from "@shelf/api/auth/config";
import { currentUser } from "~/server/auth/current-user";
import { ErrorNotice } from "~/components/notice";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in — Shelf Sentiment" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const next = safeNext((await searchParams).next);
  let configError: string | null = null;
  try {
    if (await currentUser()) redirect(next);
  } catch (err) {
    if (!(err instanceof AuthConfigError)) throw err;
    configError = err.message;
  }
  return (
    <section
      aria-labelledby="sign-in-heading"
      className="mx-auto max-w-sm space-y-6 rounded-xl border border-slate-200 bg-white p-8 shadow-sm"
    >
      <div className="space-y-1">
        <h1 id="sign-in-heading" className="text-2xl font-semibold">
          Sign in
        </h1>
        <p className="text-sm text-slate-600">
          Merchandisers, store staff and admins. Shoppers never need an account.
        </p>
      </div>
      {configError ? (
        <ErrorNotice>Sign-in is not configured: {configError}</ErrorNotice>
      ) : (
        <SignInForm next={next} />
      )}
    </section>
  );
}
