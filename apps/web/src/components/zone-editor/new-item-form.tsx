"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorNotice } from "~/components/notice";
import { input, secondaryButton } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { useTRPC } from "~/trpc/react";
import { Field } from "../ui/field";

/** Adds a product to the store's catalogue, to place on shelves. */
export function NewItemForm({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const mutation = useMutation(
    trpc.zones.createItem.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.zones.pathKey() }),
    }),
  );
  const [done, setDone] = useState<string | null>(null);
  const errors = formErrors(mutation.error, ["sku", "name", "category"]);
  return (
    <form
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4"
      aria-labelledby="new-item-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        const item = {
          storeSlug,
          sku: String(f.get("sku")),
          name: String(f.get("name")),
          category: String(f.get("category")),
        };
        mutation.mutate(item, {
          onSuccess: () => {
            setDone(item.name);
            form.reset();
          },
        });
      }}
    >
      <h2 id="new-item-heading" className="font-semibold">
        New product
      </h2>
      <div className="grid grid-cols-3 gap-2">
        <Field label="SKU" hint="Letters, digits, dot, dash and underscore." error={errors.fields.sku}>
          <input name="sku" required maxLength={64} pattern="[A-Za-z0-9._\-]+" className={input} />
        </Field>
        <Field label="Name" error={errors.fields.name}>
          <input name="name" required maxLength={200} className={input} />
        </Field>
        <Field label="Category" error={errors.fields.category}>
          <input name="category" required maxLength={100} className={input} />
        </Field>
      </div>
      <button type="submit" className={secondaryButton} disabled={mutation.isPending}>
        Add to catalogue
      </button>
      {errors.form ? (
        <ErrorNotice>{errors.form}</ErrorNotice>
      ) : mutation.error ? null : done ? (
        <p className="text-xs text-emerald-700">Added “{done}”.</p>
      ) : null}
    </form>
  );
}
