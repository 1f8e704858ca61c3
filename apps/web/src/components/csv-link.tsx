/** A link that downloads a report as CSV (same procedure, same k-anonymity as the page). */
export function CsvLink({
  report,
  params,
  label = "Export CSV",
}: {
  report: string;
  params: Record<string, string | undefined>;
  label?: string;
}) {
  const query = new URLSearchParams(
    Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ""),
  );
  return (
    <a
      href={`/api/export/${report}?${query.toString()}`}
      download
      className="inline-flex items-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-amber-500"
      data-testid={`csv-${report}`}
    >
      {label}
    </a>
  );
}
