import type { RouterOutputs } from "@shelf/api/root";
import { pct } from "~/lib/format";

type Notice = RouterOutputs["compliance"]["notice"];

/** What the notice and the DPIA will say, and what is still missing, at a glance (admins). */
export function ComplianceChecklist({ notice }: { notice: Notice }) {
  const rows: { label: string; value: string; ok: boolean }[] = [
    {
      label: "Data controller",
      value: notice.controller.name ?? "not set — fill it in below",
      ok: notice.controller.name !== null,
    },
    {
      label: "Contact for data requests",
      value: notice.controller.contact ?? "not set — fill it in below",
      ok: notice.controller.contact !== null,
    },
    {
      label: "Cameras analysing",
      value: `${notice.cameras.analysing} of ${notice.cameras.registered} registered`,
      ok: true,
    },
    {
      label: "Shelf zones analysed",
      value: notice.zones.analysed.length ? notice.zones.analysed.join(", ") : "none",
      ok: true,
    },
    {
      label: "Staff-only zones (excluded)",
      value: notice.zones.staffOnly.length ? notice.zones.staffOnly.join(", ") : "none marked",
      ok: true,
    },
    { label: "Retention", value: `${notice.rules.retentionDays} days (Rules page)`, ok: true },
    { label: "k-anonymity", value: `k = ${notice.rules.k} (Rules page)`, ok: true },
    {
      label: "Model accuracy quoted",
      value: `${pct(notice.model.accuracy, 1)} on ${notice.model.benchmark} (${notice.model.source})`,
      ok: true,
    },
  ];
  return (
    <dl
      className="grid gap-x-6 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-[max-content_1fr]"
      data-testid="compliance-checklist"
    >
      {rows.map((r) => (
        <div key={r.label} className="contents">
          <dt className="font-medium text-slate-700">{r.label}</dt>
          <dd className={r.ok ? "whitespace-pre-line text-slate-900" : "font-medium text-amber-800"}>
            {r.value}
          </dd>
        </div>
      ))}
    </dl>
  );
}
