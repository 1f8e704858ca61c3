"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { button, focusRing, input, label, secondaryButton } from "~/lib/classes";
import { date } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

export function SettingsForm({ storeSlug }: { storeSlug: string }) {
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

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const num = (k: string) => Number(f.get(k));
    setSaved(null);
    update.mutate({
      storeSlug,
      name: String(f.get("name")),
      timezone: String(f.get("timezone")),
      negativeExpressions: EXPRESSIONS.filter((e) => f.get(`neg-${e}`) === "on"),
      includeHesitation: f.get("includeHesitation") === "on",
      scoreWindowHours: num("scoreWindowHours"),
      minSample: num("minSample"),
      kAnonymity: num("kAnonymity"),
      retentionDays: num("retentionDays"),
      surveyCooldownKioskS: num("surveyCooldownKioskS"),
      surveyCooldownItemS: num("surveyCooldownItemS"),
    });
  }

  const negative = new Set<Expression>(s.negativeExpressions as Expression[]);
  return (
    <form onSubmit={submit} className="space-y-6" aria-labelledby="store-rules-heading">
      <h2 id="store-rules-heading" className="text-lg font-semibold">
        Store settings
      </h2>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Store</legend>
        <label className={label}>
          Name
          <input name="name" required maxLength={100} defaultValue={data.store.name} className={input} />
        </label>
        <label className={label}>
          Time zone (IANA)
          <input
            name="timezone"
            required
            defaultValue={data.store.timezone}
            className={input}
            placeholder="Europe/Berlin"
          />
        </label>
      </fieldset>
      <fieldset className="space-y-3">
        <legend className="mb-2 text-sm font-medium">What counts as a rejection</legend>
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
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="includeHesitation"
            defaultChecked={s.includeHesitation}
            className={focusRing}
          />
          Also count hesitations (long stays without a positive expression)
        </label>
        <div className="grid gap-3 sm:grid-cols-2">
          <label className={label}>
            Scoring window (hours)
            <input
              name="scoreWindowHours"
              type="number"
              min={1}
              max={2160}
              required
              defaultValue={s.scoreWindowHours}
              className={input}
            />
          </label>
          <label className={label}>
            Minimum sample (interactions before a product may be flagged or cleared)
            <input
              name="minSample"
              type="number"
              min={1}
              required
              defaultValue={s.minSample}
              className={input}
            />
          </label>
        </div>
        <p className="text-xs text-slate-500">
          A new expression set, window or hesitation rule applies as the workers rescore each product on its
          next interaction.
        </p>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Privacy</legend>
        <label className={label}>
          k-anonymity: hide report cells with fewer interactions than
          <input
            name="kAnonymity"
            type="number"
            min={1}
            max={1000}
            required
            defaultValue={s.kAnonymity}
            className={input}
          />
        </label>
        <label className={label}>
          Keep interactions and survey answers for (days)
          <input
            name="retentionDays"
            type="number"
            min={1}
            max={3650}
            required
            defaultValue={s.retentionDays}
            className={input}
          />
        </label>
      </fieldset>
      <fieldset className="grid gap-3 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium">Surveys</legend>
        <label className={label}>
          Kiosk cooldown: seconds between prompts at one kiosk
          <input
            name="surveyCooldownKioskS"
            type="number"
            min={0}
            max={86400}
            required
            defaultValue={s.surveyCooldownKioskS}
            className={input}
          />
        </label>
        <label className={label}>
          Product cooldown: seconds between prompts about one product
          <input
            name="surveyCooldownItemS"
            type="number"
            min={0}
            max={86400}
            required
            defaultValue={s.surveyCooldownItemS}
            className={input}
          />
        </label>
      </fieldset>
      <button type="submit" className={button} disabled={update.isPending}>
        {update.isPending ? "Saving…" : "Save settings"}
      </button>
      {update.error ? <ErrorNotice>{update.error.message}</ErrorNotice> : null}
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
