"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { MetricDefinition } from "~/components/metric-definition";
import { DataTable, rowClass, type Column } from "~/components/ui/data-table";
import { Field, NumberField } from "~/components/ui/field";
import { button, dangerButton, input, label, secondaryButton, td } from "~/lib/classes";
import { formErrors } from "~/lib/form-errors";
import { RATE_LABEL, RATE_NAME } from "~/lib/measurement";
import { useTRPC } from "~/trpc/react";

type Level = "global" | "category" | "item";
const LEVEL_LABEL: Record<Level, string> = { global: "Whole store", category: "Category", item: "Product" };
const FIELDS = ["category", "itemId", "threshold", "hysteresis", "minSample"];
const COLUMNS: readonly Column[] = [
  { label: "Applies to" },
  { label: "Threshold", className: "text-right" },
  { label: "Hysteresis", className: "text-right" },
  { label: "Min. sample", className: "text-right" },
  { label: "Actions", srOnly: true },
];

/**
 * What a rule applies to, saying whose it is: a store's own store-wide rule and the every-store default are
 * both "global" rules and must not read alike; the default says when this store's own rule overrides it.
 */
function appliesTo(
  r: { level: Level; storeOnly: boolean; category: string | null; item: { name: string } | null },
  storeHasOwnGlobal: boolean,
): string {
  if (r.level === "global")
    return r.storeOnly
      ? "Whole store (this store’s rule)"
      : `Every store (default${storeHasOwnGlobal ? ", overridden here by this store’s rule" : ""})`;
  return `${LEVEL_LABEL[r.level]}: ${r.level === "category" ? r.category : (r.item?.name ?? "deleted product")}`;
}

/**
 * Thresholds on the lower bound of the negative-expression rate, most specific rule first, with the rate's
 * definition (the store's negative set, read live so a saved set shows at once); saving re-decides flags.
 */
export function ThresholdEditor({ storeSlug, superAdmin }: { storeSlug: string; superAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.admin.thresholds.queryOptions({ storeSlug }));
  const { data: measurement } = useSuspenseQuery(trpc.reports.measurement.queryOptions({ storeSlug }));
  const [level, setLevel] = useState<Level>("global");
  const [editing, setEditing] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.reports.pathKey() }),
    ]);
  const describe = (changes: { state: "raised" | "cleared" }[]) => {
    const raised = changes.filter((c) => c.state === "raised").length;
    const cleared = changes.length - raised;
    return changes.length
      ? `Flags re-decided: ${raised} raised, ${cleared} cleared.`
      : "Flags re-decided: no product changed state.";
  };
  const save = useMutation(
    trpc.admin.saveThreshold.mutationOptions({
      onSuccess: async (r) => {
        setOutcome(`Saved. ${describe(r.flagChanges)}`);
        setEditing(null);
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.admin.deleteThreshold.mutationOptions({
      onSuccess: async (r) => {
        setOutcome(`Deleted. ${describe(r.flagChanges)}`);
        await refresh();
      },
    }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const minSample = String(f.get("minSample") ?? "");
    setOutcome(null);
    save.mutate({
      storeSlug,
      id: editing ?? undefined,
      level,
      category: level === "category" ? String(f.get("category")) : null,
      itemId: level === "item" ? String(f.get("itemId")) : null,
      threshold: Number(f.get("threshold")) / 100,
      hysteresis: Number(f.get("hysteresis")) / 100,
      minSample: minSample ? Number(minSample) : null,
    });
  }
  const current = editing ? data.rules.find((r) => r.id === editing) : undefined;
  const errors = formErrors(save.error, FIELDS);
  const ownGlobal = data.rules.some((r) => r.level === "global" && r.storeOnly);

  return (
    <section aria-labelledby="thresholds-heading" className="space-y-3">
      <h2 id="thresholds-heading" className="text-lg font-semibold">
        {RATE_LABEL} thresholds
      </h2>
      <p className="max-w-3xl text-sm text-slate-600">
        A product is flagged when the lower bound of its {RATE_NAME} (95 % confidence) is above its threshold,
        and cleared when the bound falls below the threshold minus the hysteresis. A product’s own rule beats
        its category’s, which beats the store’s; rules marked “all stores” are the defaults.
      </p>
      <MetricDefinition rules={measurement} />
      <DataTable
        scrollLabel="Threshold rules"
        columns={COLUMNS}
        caption="Threshold rules, most specific first"
        testId="threshold-table"
        rows={data.rules}
        rowKey={(r) => r.id}
        renderRow={(r) => (
          <tr
            className={rowClass}
            data-testid="threshold-row"
            data-level={r.level}
            data-scope={r.storeOnly ? "store" : "all"}
          >
            <td className={td}>
              {appliesTo(r, ownGlobal)}
              {r.storeOnly || r.level === "global" ? (
                ""
              ) : (
                <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs text-slate-600">all stores</span>
              )}
            </td>
            <td className={`${td} text-right tabular-nums`}>{(r.threshold * 100).toFixed(0)} %</td>
            <td className={`${td} text-right tabular-nums`}>{(r.hysteresis * 100).toFixed(0)} %</td>
            <td className={`${td} text-right tabular-nums`}>{r.minSample ?? "store default"}</td>
            <td className={`${td} space-x-2 text-right`}>
              {r.storeOnly || superAdmin ? (
                <>
                  <button
                    type="button"
                    className={secondaryButton}
                    onClick={() => {
                      setEditing(r.id);
                      setLevel(r.level);
                      setOutcome(null);
                    }}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className={dangerButton}
                    disabled={remove.isPending}
                    onClick={() => remove.mutate({ storeSlug, id: r.id })}
                  >
                    Delete
                  </button>
                </>
              ) : (
                <span className="text-xs text-slate-500">add a store rule to override</span>
              )}
            </td>
          </tr>
        )}
      />
      <form
        key={editing ?? "new"}
        onSubmit={submit}
        className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
        aria-label={current ? "Edit threshold" : "Add a threshold"}
      >
        <label className={label}>
          Applies to
          <select
            className={input}
            value={level}
            onChange={(e) => setLevel(e.currentTarget.value as Level)}
            disabled={!!current}
            name="level"
          >
            <option value="global">Whole store</option>
            <option value="category">A category</option>
            <option value="item">A product</option>
          </select>
        </label>
        {level === "category" ? (
          <Field label="Category" error={errors.fields.category}>
            <select
              name="category"
              className={input}
              defaultValue={current?.category ?? data.categories[0]}
              disabled={!!current}
            >
              {data.categories.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </Field>
        ) : null}
        {level === "item" ? (
          <Field label="Product" error={errors.fields.itemId}>
            <select
              name="itemId"
              className={input}
              defaultValue={current?.item?.id ?? data.items[0]?.id}
              disabled={!!current}
            >
              {data.items.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name} ({i.sku})
                </option>
              ))}
            </select>
          </Field>
        ) : null}
        <NumberField
          name="threshold"
          label="Threshold (%)"
          min={1}
          max={99}
          step={1}
          required
          defaultValue={current ? Math.round(current.threshold * 100) : 20}
          inputClassName={`${input} w-24`}
          data-testid="threshold-input"
          errors={errors}
        />
        <NumberField
          name="hysteresis"
          label="Hysteresis (%)"
          min={0}
          max={50}
          step={1}
          required
          defaultValue={current ? Math.round(current.hysteresis * 100) : 5}
          inputClassName={`${input} w-24`}
          errors={errors}
        />
        <NumberField
          name="minSample"
          label="Min. sample"
          min={1}
          step={1}
          defaultValue={current?.minSample ?? ""}
          placeholder="store default"
          inputClassName={`${input} w-28`}
          errors={errors}
        />
        <button type="submit" className={button} disabled={save.isPending} data-testid="save-threshold">
          {save.isPending ? "Saving…" : current ? "Save rule" : "Add rule"}
        </button>
        {current ? (
          <button type="button" className={secondaryButton} onClick={() => setEditing(null)}>
            Cancel
          </button>
        ) : null}
      </form>
      {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
      {remove.error ? <ErrorNotice>{remove.error.message}</ErrorNotice> : null}
      {outcome ? <StatusNotice testId="threshold-outcome">{outcome}</StatusNotice> : null}
    </section>
  );
}
