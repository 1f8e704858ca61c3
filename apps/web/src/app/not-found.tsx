import Link from "next/link";
import { link } from "~/lib/classes";

/** Any address the app does not know, and reports asked for a range they cannot show: HTTP 404. */
export default function NotFound() {
  return (
    <section
      role="alert"
      aria-labelledby="not-found-heading"
      className="space-y-3 rounded-lg border border-slate-300 bg-white p-6"
    >
      <h1 id="not-found-heading" className="text-xl font-semibold">
        This page could not be found
      </h1>
      <p className="text-sm text-slate-600">
        Check the address. Report dates are days written YYYY-MM-DD between 1970 and 2999.
      </p>
      <Link href="/" className={link}>
        Back to your stores
      </Link>
    </section>
  );
}
