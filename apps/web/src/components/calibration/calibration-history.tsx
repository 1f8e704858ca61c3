import { dateTime } from "~/lib/format";

/** The saved versions of the calibration, newest first, with their error and author. */
export function CalibrationHistory({
  history,
  timeZone,
}: {
  history: readonly {
    version: number;
    rmsM: number;
    maxM: number;
    headHeightM: number;
    createdAt: Date;
    createdBy: string | null;
  }[];
  timeZone: string;
}) {
  if (!history.length) return null;
  return (
    <section aria-labelledby="history-heading" className="space-y-2">
      <h2 id="history-heading" className="text-lg font-semibold">
        Versions
      </h2>
      <ul className="space-y-1 text-sm text-slate-700" data-testid="calibration-history">
        {history.map((v) => (
          <li key={v.version}>
            v{v.version}: RMS {(v.rmsM * 100).toFixed(1)} cm, max {(v.maxM * 100).toFixed(1)} cm, head plane{" "}
            {v.headHeightM} m — {dateTime(v.createdAt, timeZone)}
            {v.createdBy ? ` by ${v.createdBy}` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
