"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { Field } from "~/components/ui/field";
import { button, input } from "~/lib/classes";
import { useTRPC } from "~/trpc/react";

/**
 * Admins: who runs the cameras in this store (the data controller), shown on the public privacy notice, the
 * entrance sign and the DPIA export. An empty field clears it. Saved changes are audited.
 */
export function ControllerForm({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.compliance.controller.queryOptions({ storeSlug }));
  const [saved, setSaved] = useState(false);
  const update = useMutation(
    trpc.compliance.updateController.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries(trpc.compliance.pathFilter());
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setSaved(false);
    update.mutate({
      storeSlug,
      controllerName: String(f.get("controllerName") ?? ""),
      controllerContact: String(f.get("controllerContact") ?? ""),
      dpoContact: String(f.get("dpoContact") ?? ""),
    });
  }

  return (
    <form
      onSubmit={submit}
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="controller-heading"
    >
      <h2 id="controller-heading" className="text-lg font-semibold">
        Who runs the cameras
      </h2>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Data controller (legal name)"
          hint="The organisation responsible for the processing, e.g. “Example Markets GmbH”."
        >
          <input
            name="controllerName"
            maxLength={200}
            defaultValue={data.name ?? ""}
            className={input}
            autoComplete="organization"
          />
        </Field>
        <Field label="Data protection officer (optional)" hint="Name and e-mail, if you have one.">
          <input name="dpoContact" maxLength={500} defaultValue={data.dpo ?? ""} className={input} />
        </Field>
        <Field
          className="sm:col-span-2"
          label="Contact for questions about data"
          hint="Postal address and e-mail (or a web form) where shoppers can exercise their rights."
        >
          <textarea
            name="controllerContact"
            maxLength={1000}
            rows={3}
            defaultValue={data.contact ?? ""}
            className={input}
          />
        </Field>
      </div>
      <button type="submit" className={button} disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save"}
      </button>
      {update.error ? <ErrorNotice>{update.error.message}</ErrorNotice> : null}
      {saved ? <StatusNotice>Saved. The privacy notice shows it now.</StatusNotice> : null}
    </form>
  );
}
