"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ErrorNotice } from "~/components/notice";
import { input, secondaryButton } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";
import type { PlanSize } from "../floor-plan/floor-plan-surface";
import { Field } from "../ui/field";

/** Creates the store's floor plan (`plan` null) or changes its name and size in metres. */
export function FloorPlanForm({
  storeSlug,
  plan,
}: {
  storeSlug: string;
  plan: (PlanSize & { id: string }) | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.zones.saveFloorPlan.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() }),
    }),
  );
  const errors = formErrors(mutation.error, ["name", "widthM", "heightM"]);
  const metres = { type: "number", required: true, min: 1, max: 10000, step: 0.1, className: input } as const;
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="plan-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        mutation.mutate({
          storeSlug,
          floorPlanId: plan?.id,
          name: String(f.get("name")),
          widthM: Number(f.get("widthM")),
          heightM: Number(f.get("heightM")),
        });
      }}
    >
      <h2 id="plan-heading" className="font-semibold">
        {plan ? "Floor plan" : "Create the floor plan"}
      </h2>
      <div className="grid grid-cols-3 gap-2">
        <Field label="Name" error={errors.fields.name}>
          <input name="name" required defaultValue={plan?.name ?? "Ground floor"} className={input} />
        </Field>
        <Field label="Width (m)" error={errors.fields.widthM}>
          <input name="widthM" defaultValue={plan?.widthM ?? 20} {...metres} />
        </Field>
        <Field label="Depth (m)" error={errors.fields.heightM}>
          <input name="heightM" defaultValue={plan?.heightM ?? 15} {...metres} />
        </Field>
      </div>
      <button type="submit" className={secondaryButton} disabled={mutation.isPending}>
        {plan ? "Save size" : "Create"}
      </button>
      {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
    </form>
  );
}
