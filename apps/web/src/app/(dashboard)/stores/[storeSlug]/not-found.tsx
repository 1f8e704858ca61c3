import Link from "next/link";
import { link } from "~/lib/classes";

export default function StoreNotFound() {
  return (
    <section
      role="alert"
      aria-labelledby="not-found-heading"
      className="space-y-3 rounded-lg border border-slate-300 bg-white p-6"
    >
      <h1 id="not-found-heading" className="text-xl font-semibold">
        This store or page could not be found
      </h1>
      <p className="text-sm text-slate-600">Check the address, or open the store from your list.</p>
      <Link href="/" className={link}>
        Back to your stores
      </Link>
    </section>
  );
}
