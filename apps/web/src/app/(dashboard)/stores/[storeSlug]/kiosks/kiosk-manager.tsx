"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass } from "~/components/ui/data-table";
import { Field } from "~/components/ui/field";
import { formErrors } from "~/lib/form-errors";
import { button, dangerButton, input, secondaryButton, td } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

interface ShownCode {
  kioskId: string;
  code: string;
  expiresAt: Date;
}

const KIOSK_COLUMNS = [
  { label: "Kiosk" },
  { label: "Zone" },
  { label: "State" },
  { label: "Actions", srOnly: true },
];

/**
 * Admins: a store's kiosks — create one (its one-time pairing code is shown once, with the page to open on
 * the tablet), issue a new code, revoke. `pairUrl` is the pairing page at the public address.
 */
export function KioskManager({ storeSlug, pairUrl }: { storeSlug: string; pairUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: kiosks } = useSuspenseQuery(trpc.kiosks.list.queryOptions({ storeSlug }));
  const { data: zoneData } = useSuspenseQuery(trpc.zones.list.queryOptions({ storeSlug }));
  const zones = zoneData.floorPlans.flatMap((p) => p.zones.filter((z) => !z.staffOnly));
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.kiosks.list.queryKey({ storeSlug }) });
  const [shown, setShown] = useState<ShownCode | null>(null);
  const create = useMutation(trpc.kiosks.create.mutationOptions({ onSuccess: invalidate }));
  const repair = useMutation(trpc.kiosks.pairingCode.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.kiosks.revoke.mutationOptions({ onSuccess: invalidate }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const f = new FormData(form);
    const zoneId = String(f.get("zoneId") ?? "");
    create.mutate(
      { storeSlug, name: String(f.get("name") ?? ""), zoneId: zoneId || null },
      {
        onSuccess: (c) => {
          setShown(c);
          form.reset();
        },
      },
    );
  }
  const createErrors = formErrors(create.error, ["name", "zoneId"]);
  const error = createErrors.form ?? formErrors(repair.error ?? revoke.error, []).form;

  return (
    <div className="space-y-6">
      {shown ? (
        <StatusNotice testId="pairing-code-notice">
          One-time pairing code:{" "}
          <strong className="font-mono text-lg tracking-widest" data-testid="pairing-code">
            {shown.code}
          </strong>{" "}
          — on the tablet, open{" "}
          <a href={pairUrl} className="font-mono underline" data-testid="pairing-url">
            {pairUrl}
          </a>{" "}
          and type it before {dateTime(shown.expiresAt)}. It is shown only now and works once.
        </StatusNotice>
      ) : null}
      {error ? <ErrorNotice>{error}</ErrorNotice> : null}
      <DataTable
        columns={KIOSK_COLUMNS}
        caption="Kiosks of this store"
        rows={kiosks}
        rowKey={(k) => k.id}
        empty="No kiosks yet. Create one below, then pair its tablet."
        renderRow={(k) => (
          <tr className={rowClass} data-testid="kiosk-row">
            <td className={td}>{k.name}</td>
            <td className={td}>{k.zone?.name ?? "—"}</td>
            <td className={td}>
              {k.revokedAt
                ? `revoked ${dateTime(k.revokedAt)}`
                : k.pairedAt
                  ? `paired ${dateTime(k.pairedAt)}`
                  : k.pairingExpiresAt
                    ? `waiting for pairing (code open until ${dateTime(k.pairingExpiresAt)})`
                    : "not paired"}
            </td>
            <td className={`${td} space-x-2 text-right`}>
              {k.revokedAt ? null : (
                <>
                  <button
                    type="button"
                    className={secondaryButton}
                    disabled={repair.isPending}
                    onClick={() =>
                      repair.mutate({ storeSlug, kioskId: k.id }, { onSuccess: (c) => setShown(c) })
                    }
                  >
                    New pairing code
                  </button>
                  <button
                    type="button"
                    className={dangerButton}
                    disabled={revoke.isPending}
                    onClick={() => {
                      if (window.confirm(`Revoke "${k.name}"? Its tablet stops working at once.`))
                        revoke.mutate({ storeSlug, kioskId: k.id });
                    }}
                  >
                    Revoke
                  </button>
                </>
              )}
            </td>
          </tr>
        )}
      />
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Create a kiosk">
        <Field label="Name" error={createErrors.fields.name}>
          <input name="name" required maxLength={100} className={input} />
        </Field>
        <Field label="Shelf zone" error={createErrors.fields.zoneId}>
          <select name="zoneId" className={input} defaultValue="">
            <option value="">None yet</option>
            {zones.map((z) => (
              <option key={z.id} value={z.id}>
                {z.name}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className={button} disabled={create.isPending}>
          Create kiosk
        </button>
      </form>
    </div>
  );
}
