/**
 * The date range of a report, as a plain GET form: works without JavaScript, and the range lives in the URL
 * (shareable, and what the server prefetches). Dates are the store's local days, both inclusive.
 */
export function RangeFilter({
  from,
  to,
  hidden = {},
}: {
  /** YYYY-MM-DD */
  from: string;
  /** YYYY-MM-DD */
  to: string;
  /** Other search params to keep. */
  hidden?: Record<string, string | undefined>;
}) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-2" aria-label="Date range">
      {Object.entries(hidden).map(([k, v]) =>
        v === undefined ? null : <input key={k} type="hidden" name={k} value={v} />,
      )}
      <label className="flex flex-col text-xs text-slate-600">
        From
        <input
          type="date"
          name="from"
          defaultValue={from}
          required
          className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
        />
      </label>
      <label className="flex flex-col text-xs text-slate-600">
        To
        <input
          type="date"
          name="to"
          defaultValue={to}
          required
          className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-900"
        />
      </label>
      <button
        type="submit"
        className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-500"
      >
        Apply
      </button>
    </form>
  );
}
