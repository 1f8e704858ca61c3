"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { RouterOutputs } from "@shelf/api/root";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass } from "~/components/ui/data-table";
import { dangerButton, link, secondaryButton, td } from "~/lib/classes";
import { useTRPC } from "~/trpc/react";
import { useState } from "react";

type SurveyItem = RouterOutputs["survey"]["items"]["items"][number];

const COLUMNS = [
  { label: "Product" },
  { label: "Survey" },
  { label: "Questions" },
  { label: "Answers", className: "text-right" },
  { label: "Shelf sign" },
  { label: "Actions", srOnly: true },
];

const SOURCE: Record<SurveyItem["templateSource"], string> = {
  item: "own template",
  category: "category template",
  default: "default questions",
};

function state(i: SurveyItem): string {
  if (i.override === true) return i.flagged ? "running (started; flagged too)" : "running (started by hand)";
  if (i.override === false) return i.flagged ? "stopped (flagged)" : "stopped";
  return i.flagged ? "running (flagged)" : "not running (runs when flagged)";
}

/** The store's products with their survey state, start/stop, signs and answers. */
export function SurveyItems({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.survey.items.queryOptions({ storeSlug }));
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.survey.items.queryKey({ storeSlug }) });
  const setRunning = useMutation(trpc.survey.setRunning.mutationOptions({ onSuccess: invalidate }));
  const retire = useMutation(trpc.survey.revokeShelfSign.mutationOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const qr = `/qr/${encodeURIComponent(storeSlug)}`;
  const error = setRunning.error ?? retire.error;

  return (
    <section aria-labelledby="survey-items-heading" className="space-y-3">
      <h2 id="survey-items-heading" className="text-lg font-semibold">
        Products
      </h2>
      {notice ? <StatusNotice testId="survey-notice">{notice}</StatusNotice> : null}
      {error ? <ErrorNotice>{error.message}</ErrorNotice> : null}
      <DataTable
        columns={COLUMNS}
        caption="Surveys of this store's products"
        rows={data.items}
        rowKey={(i) => i.itemId}
        empty="No products on this store's shelves yet (Zones & planogram)."
        testId="survey-items"
        renderRow={(i) => (
          <tr className={rowClass} data-testid="survey-item" data-sku={i.sku}>
            <td className={td}>
              {i.name} <span className="font-mono text-xs text-slate-500">{i.sku}</span>
            </td>
            <td className={td} data-testid="survey-state">
              {state(i)}
            </td>
            <td className={td}>{SOURCE[i.templateSource]}</td>
            <td className={`${td} text-right tabular-nums`}>
              <a className={link} href={`${qr}/${encodeURIComponent(i.itemId)}#results-heading`}>
                {i.responses}
              </a>
              {i.declined > 0 ? (
                <span className="text-xs text-slate-500"> ({i.declined} declined)</span>
              ) : null}
            </td>
            <td className={td}>
              <a className={link} href={`${qr}/${encodeURIComponent(i.itemId)}`} data-testid="print-sign">
                Print shelf sign
              </a>
            </td>
            <td className={`${td} space-x-2 whitespace-nowrap text-right`}>
              {i.running ? (
                <button
                  type="button"
                  className={secondaryButton}
                  disabled={setRunning.isPending}
                  onClick={() => setRunning.mutate({ storeSlug, itemId: i.itemId, running: false })}
                >
                  Stop
                </button>
              ) : (
                <button
                  type="button"
                  className={secondaryButton}
                  disabled={setRunning.isPending}
                  onClick={() => setRunning.mutate({ storeSlug, itemId: i.itemId, running: true })}
                >
                  Start
                </button>
              )}
              {i.override !== null ? (
                <button
                  type="button"
                  className={secondaryButton}
                  disabled={setRunning.isPending}
                  onClick={() => setRunning.mutate({ storeSlug, itemId: i.itemId, running: null })}
                >
                  Follow the flag
                </button>
              ) : null}
              <button
                type="button"
                className={dangerButton}
                disabled={retire.isPending}
                onClick={() => {
                  if (
                    window.confirm(
                      `Retire the printed signs of "${i.name}"? Their QR codes stop working at once; print the sign again.`,
                    )
                  )
                    retire.mutate(
                      { storeSlug, itemId: i.itemId },
                      {
                        onSuccess: (r) =>
                          setNotice(
                            r.revoked === 0
                              ? `"${i.name}" had no printed sign code yet; its next print gets a fresh one.`
                              : `The printed signs of "${i.name}" no longer work. Print its new sign.`,
                          ),
                      },
                    );
                }}
              >
                Retire signs
              </button>
            </td>
          </tr>
        )}
      />
    </section>
  );
}
