"use client";

import { useQuery, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { EmptyState } from "~/components/notice";
import { DataTable, rowClass, type Column } from "~/components/ui/data-table";
import { secondaryButton, td } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { auditDiff, type DiffLine } from "./audit-diff";

const COLUMNS: readonly Column[] = [
  { label: "When" },
  { label: "Who" },
  { label: "What" },
  { label: "Change" },
];

/** The changed fields of an entry as a short list: "field: before → after". */
function Changes({ lines }: { lines: DiffLine[] }) {
  if (!lines.length) return <span className="text-slate-500">no field changed</span>;
  return (
    <ul className="space-y-0.5" data-testid="audit-changes">
      {lines.map((l) => (
        <li key={l.field}>
          <span className="text-slate-500">{l.field}:</span>{" "}
          {l.before !== null && l.after !== null ? (
            <>
              {l.before} → {l.after}
            </>
          ) : (
            (l.after ?? l.before)
          )}
        </li>
      ))}
    </ul>
  );
}

export function AuditTable({ storeSlug, timeZone }: { storeSlug: string; timeZone: string }) {
  const trpc = useTRPC();
  const { data: first } = useSuspenseQuery(trpc.admin.auditLog.queryOptions({ storeSlug, limit: 50 }));
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useQuery({
    ...trpc.admin.auditLog.queryOptions({ storeSlug, limit: 50, cursor }),
    enabled: !!cursor,
  });
  const data = cursor ? page.data : first;
  if (!first.entries.length) return <EmptyState>Nothing has been changed yet.</EmptyState>;
  return (
    <div className="space-y-3">
      <DataTable
        scrollLabel="Audit log"
        columns={COLUMNS}
        caption="Changes to this store, newest first"
        testId="audit-table"
        rows={data?.entries ?? []}
        rowKey={(e) => e.id}
        renderRow={(e) => (
          <tr className={`${rowClass} align-top`} data-testid="audit-row" data-action={e.action}>
            <td className={`${td} whitespace-nowrap`}>{dateTime(e.at, timeZone)}</td>
            <td className={td}>{e.user?.email ?? "system"}</td>
            <td className={td}>
              <span className="font-mono text-xs">{e.action}</span>
              {e.entityName ? <span className="block text-xs text-slate-600">{e.entityName}</span> : null}
            </td>
            <td className={`${td} text-xs text-slate-700`}>
              <Changes lines={auditDiff(e.before, e.after, data?.names ?? {})} />
              <details>
                <summary className="cursor-pointer text-slate-500">details</summary>
                <pre className="mt-1 max-w-xl overflow-x-auto whitespace-pre-wrap rounded bg-slate-100 p-2">
                  {JSON.stringify({ before: e.before, after: e.after }, null, 2)}
                </pre>
              </details>
            </td>
          </tr>
        )}
      />
      <div className="flex gap-2">
        <button
          type="button"
          className={secondaryButton}
          disabled={!cursors.length}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          Newer
        </button>
        <button
          type="button"
          className={secondaryButton}
          disabled={!data?.nextCursor || page.isFetching}
          onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor!])}
        >
          Older
        </button>
      </div>
    </div>
  );
}
