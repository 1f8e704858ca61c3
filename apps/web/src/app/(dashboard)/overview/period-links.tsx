import Link from "next/link";
import { focusRing } from "~/lib/classes";

/** The periods an overview offers, days. */
export const OVERVIEW_PERIODS = [7, 28, 90] as const;

/** `?days=` as one of {@link OVERVIEW_PERIODS} (default 7); anything else falls back to the default. */
export function overviewDays(value: string | string[] | undefined): number {
  const n = Number(Array.isArray(value) ? value[0] : value);
  return (OVERVIEW_PERIODS as readonly number[]).includes(n) ? n : 7;
}

/** Links to the other periods (plain links: the page renders on the server). */
export function PeriodLinks({ base, days }: { base: string; days: number }) {
  return (
    <nav aria-label="Period" className="flex gap-1 text-sm">
      {OVERVIEW_PERIODS.map((d) => (
        <Link
          key={d}
          href={`${base}?days=${d}`}
          aria-current={d === days ? "page" : undefined}
          className={`rounded-md border px-2 py-1 ${focusRing} ${d === days ? "border-slate-900 bg-slate-900 text-white" : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
        >
          {d} days
        </Link>
      ))}
    </nav>
  );
}
