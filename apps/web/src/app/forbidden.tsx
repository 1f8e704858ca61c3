import Link from "next/link";
import { link } from "~/lib/classes";

export default function Forbidden() {
  return (
    <section
      role="alert"
      aria-labelledby="forbidden-heading"
      className="space-y-3 rounded-lg border border-amber-300 bg-amber-50 p-6"
    >
      <h1 id="forbidden-heading" className="text-xl font-semibold">
        Not for your role
      </h1>
      <p className="text-sm text-amber-900">
        Your account has no role in this store that opens this page. A store admin can change your role.
      </p>
      <Link href="/" className={link}>
        Back to your stores
      </Link>
    </section>
  );
}
