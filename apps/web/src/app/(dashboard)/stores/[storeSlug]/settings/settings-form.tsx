"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { Field, NumberField } from "~/components/ui/field";
import { button, focusRing, input, secondaryButton } from "~/lib/classes";
import { date } from "~/lib/format";
import { formErrors } from "~/lib/form-errors";
import { RATE_NAME } from "~/lib/measurement";
import { useTRPC } from "~/trpc/react";

/** A number the settings form edits: the API's input field, its label and bounds. */
interface NumberSetting {
  name:
    | "scoreWindowHours"
    | "minSample"
    | "kAnonymity"
    | "retentionDays"
    | "surveyCooldownKioskS"
    | "surveyCooldownItemS";
  label: string;
  min: number;
  max?: number;
}

/** The numbers of each group, in the order shown. */
const SCORING: readonly NumberSetting[] = [
  { name: "scoreWindowHours", label: "Scoring window (hours)", min: 1, max: 2160 },
  {
    name: "minSample",
    label: "Minimum sample (interactions before a product may be flagged or cleared)",
    min: 1,
  },
];
const PRIVACY: readonly NumberSetting[] = [
  {
    name: "kAnonymity",
    label: "k-anonymity: hide report cells with fewer interactions than",
    min: 1,
    max: 1000,
  },
  { name: "retentionDays", label: "Keep interactions and survey answers for (days)", min: 1, max: 3650 },
];
const SURVEYS: readonly NumberSetting[] = [
  {
    name: "surveyCooldownKioskS",
    label: "Kiosk cooldown: seconds between prompts at one kiosk",
    min: 0,
    max: 86400,
  },
  {
    name: "surveyCooldownItemS",
    label: "Product cooldown: seconds between prompts about one product",
    min: 0,
    max: 86400,
  },
];
const NUMBERS = [...SCORING, ...PRIVACY, ...SURVEYS];

/** The inputs of the settings form that can carry an error (named as the API's input fields). */
const FIELDS = ["name", "timezone", "negativeExpressions", ...NUMBERS.map((n) => n.name)];

/**
 * The store's settings. `timeZones` is the list the API accepts (`storeTimeZones`), offered as a picker;
 * `currentTimeZone` is the store's zone as that list spells it.
 */
export function SettingsForm({
  storeSlug,
  timeZones,
  currentTimeZone,
}: {
  storeSlug: string;
  timeZones: readonly string[];
  currentTimeZone: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.admin.settings.queryOptions({ storeSlug }));
  const s = data.settings;
  const [saved, setSaved] = useState<string | null>(null);
  const update = useMutation(
    trpc.admin.updateSettings.mutationOptions({
      onSuccess: async (r) => {
        setSaved(
          r.flagChanges.length
            ? `Saved. ${r.flagChanges.length} flag${r.flagChanges.length === 1 ? "" : "s"} changed under the new minimum sample.`
            : "Saved.",
        );
        await queryClient.invalidateQueries();
      },
    }),
  );
  const retention = useMutation(trpc.admin.runRetention.mutationOptions());
  const errors = formErrors(update.error, FIELDS);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    setSaved(null);
    update.mutate({
      storeSlug,
      name: String(f.get("name")),
      timezone: String(f.get("timezone")),
      negativeExpressions: EXPRESSIONS.filter((e) => f.get(`neg-${e}`) === "on"),
      includeHesitation: f.get("includeHesitation") === "on",
      ...(Object.fromEntries(NUMBERS.map((n) => [n.name, Number(f.get(n.name))])) as Record<
        NumberSetting["name"],
        number
      >),
    });
  }

  const negative = new Set<Expression>(s.negativeExpressions as Expression[]);
  const numbers = (group: readonly NumberSetting[]) =>
    group.map((n) => <NumberField key={n.name} {...n} required defaultValue={s[n.name]} errors={errors} />);
  return (
    <form onSubmit={submit} className="space-y-6" aria-labelledby="store-rules-heading">
      <h2 id="store-rules-heading" className="text-lg font-semibold">
        Store settings
      </h2>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Store</legend>
        <Field label="Name" error={errors.fields.name}>
          <input name="name" required maxLength={100} defaultValue={data.store.name} className={input} />
        </Field>
        <Field
          label="Time zone"
          hint="Reports count hours and days in this zone."
          error={errors.fields.timezone}
        >
          <select name="timezone" required defaultValue={currentTimeZone} className={input}>
            {timeZones.includes(currentTimeZone) ? null : (
              <option value={currentTimeZone}>{currentTimeZone}</option>
            )}
            {timeZones.map((tz) => (
              <option key={tz} value={tz}>
                {tz.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>
      <fieldset
        className="space-y-3"
        aria-describedby={
          errors.fields.negativeExpressions ? "negative-hint negative-error" : "negative-hint"
        }
      >
        <legend className="mb-2 text-sm font-medium">What counts as a negative expression</legend>
        <p id="negative-hint" className="max-w-3xl text-xs text-slate-500">
          The {RATE_NAME} of a product is the share of its interactions (not shoppers) whose dominant
          expression is one of these; flags and thresholds read it.
        </p>
        <div className="flex flex-wrap gap-4 text-sm">
          {EXPRESSIONS.map((e) => (
            <label key={e} className="flex items-center gap-1.5">
              <input
                type="checkbox"
                name={`neg-${e}`}
                defaultChecked={negative.has(e)}
                className={focusRing}
              />
              {e}
            </label>
          ))}
        </div>
        {errors.fields.negativeExpressions ? (
          <p id="negative-error" className="text-xs font-medium text-red-700">
            {errors.fields.negativeExpressions === "Choose at least 1."
              ? "Choose at least one expression."
              : errors.fields.negativeExpressions}
          </p>
        ) : null}
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="includeHesitation"
            defaultChecked={s.includeHesitation}
            className={focusRing}
          />
          Also count hesitations (long stays without a positive expression)
        </label>
        <div className="grid gap-3 sm:grid-cols-2">{numbers(SCORING)}</div>
        <p className="text-xs text-slate-500">
          A new expression set, window or hesitation rule applies as the workers rescore each product on its
          next interaction.
        </p>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Privacy</legend>
        {numbers(PRIVACY)}
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Surveys</legend>
        {numbers(SURVEYS)}
      </fieldset>
      <button type="submit" className={button} disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save settings"}
      </button>
      {errors.form ? <ErrorNotice>{errors.form}</ErrorNotice> : null}
      {saved ? <StatusNotice>{saved}</StatusNotice> : null}
      <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <p className="text-sm text-slate-700">
          The retention job deletes interactions and survey answers older than {s.retentionDays} days on its
          schedule. Hourly aggregates stay, so long-range reports keep working.
        </p>
        <button
          type="button"
          className={secondaryButton}
          disabled={retention.isPending}
          onClick={() => retention.mutate({ storeSlug })}
        >
          {retention.isPending ? "Deleting…" : "Run it now"}
        </button>
        {retention.data ? (
          <p role="status" className="text-sm text-emerald-800">
            Deleted {retention.data.interactions} interactions and {retention.data.surveyResponses} survey
            answers from before {date(retention.data.cutoff)}.
          </p>
        ) : null}
        {retention.error ? <ErrorNotice>{retention.error.message}</ErrorNotice> : null}
      </div>
    </form>
  );
}
