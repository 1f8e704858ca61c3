"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { focusRing } from "~/lib/classes";

export function StoreTabs({ slug, tabs }: { slug: string; tabs: { segment: string; label: string }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Store pages">
      <ul className="flex flex-wrap gap-1">
        {tabs.map((t) => {
          const href = `/stores/${slug}/${t.segment}`;
          const current = pathname === href || pathname.startsWith(`${href}/`);
          return (
            <li key={t.segment}>
              <Link
                href={href}
                aria-current={current ? "page" : undefined}
                className={`block rounded-md px-3 py-1.5 text-sm ${focusRing} ${current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-200"}`}
              >
                {t.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
