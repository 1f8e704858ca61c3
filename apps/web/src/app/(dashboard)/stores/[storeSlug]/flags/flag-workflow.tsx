"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RouterOutputs } from "@shelf/api/root";
import { ErrorNotice } from "~/components/notice";
import { input as inputClass, secondaryButton } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

type Flag = RouterOutputs["flags"]["list"]["open"][number];

const who = (by: string | null) => by ?? "a deleted user";

/** The flag's workflow state in words (see packages/api/src/routers/flags/workflow.ts). */
export function flagStatusText(f: Flag, timeZone: string): string {
  const parts: string[] = [];
  if (f.status === "new") parts.push("New — nobody has acknowledged it yet");
  if (f.acknowledged)
    parts.push(`acknowledged by ${who(f.acknowledged.by)} ${dateTime(f.acknowledged.at, timeZone)}`);
  if (f.resolved) parts.push(`resolved by ${who(f.resolved.by)} ${dateTime(f.resolved.at, timeZone)}`);
  if (f.status === "resolved-open")
    parts.push("still above threshold (the flag stays open until the rate drops)");
  if (f.status === "cleared") parts.push(`cleared by the numbers ${dateTime(f.clearedAt, timeZone)}`);
  const text = parts.join("; ");
  return text.charAt(0).toUpperCase() + text.slice(1) + ".";
}

/**
 * Acknowledge, note, resolve and reopen one flag. Resolving is a person's word, not the numbers': the worker
 * alone clears a flag, so a resolved flag stays listed while its rate is still above the threshold.
 */
export function FlagWorkflow({
  flag,
  storeSlug,
  timeZone,
}: {
  flag: Flag;
  storeSlug: string;
  timeZone: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.flags.list.queryKey() });
  const acknowledge = useMutation(trpc.flags.acknowledge.mutationOptions({ onSuccess }));
  const resolve = useMutation(trpc.flags.resolve.mutationOptions({ onSuccess }));
  const reopen = useMutation(trpc.flags.reopen.mutationOptions({ onSuccess }));
  const note = useMutation(
    trpc.flags.note.mutationOptions({ onSuccess: () => (setEditing(false), onSuccess()) }),
  );
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(flag.note?.text ?? "");
  const ids = { storeSlug, flagId: flag.flagId };
  const busy = acknowledge.isPending || resolve.isPending || reopen.isPending || note.isPending;
  const error = acknowledge.error ?? resolve.error ?? reopen.error ?? note.error;
  const open = flag.status !== "cleared";

  return (
    <div
      className="mt-3 space-y-2 border-t border-slate-100 pt-3 text-sm"
      data-testid="flag-workflow"
      data-status={flag.status}
    >
      <p className="text-slate-700" data-testid="flag-status">
        {flagStatusText(flag, timeZone)}
        {flag.alerts.length ? (
          <span className="text-slate-500">
            {" "}
            Alert sent by{" "}
            {flag.alerts.map((a) => (a.channel === "email" ? "e-mail" : "webhook")).join(" and ")}.
          </span>
        ) : null}
      </p>
      {flag.note && !editing ? (
        <blockquote
          className="border-l-2 border-slate-300 pl-3 whitespace-pre-wrap text-slate-700"
          data-testid="flag-note"
        >
          {flag.note.text}
          <footer className="text-xs text-slate-500">
            — {who(flag.note.by)}, {dateTime(flag.note.at, timeZone)}
          </footer>
        </blockquote>
      ) : null}
      {editing ? (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            note.mutate({ ...ids, note: draft });
          }}
        >
          <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
            Note (what was done, who follows up; empty removes it)
            <textarea
              className={inputClass}
              rows={3}
              maxLength={1000}
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
            />
          </label>
          <div className="flex gap-2">
            <button type="submit" className={secondaryButton} disabled={busy}>
              Save note
            </button>
            <button type="button" className={secondaryButton} onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <div className="flex flex-wrap gap-2">
        {!flag.acknowledged ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={busy}
            onClick={() => acknowledge.mutate(ids)}
          >
            Acknowledge
          </button>
        ) : null}
        {!editing ? (
          <button type="button" className={secondaryButton} disabled={busy} onClick={() => setEditing(true)}>
            {flag.note ? "Edit note" : "Add note"}
          </button>
        ) : null}
        {!flag.resolved ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={busy}
            onClick={() => resolve.mutate(ids)}
          >
            Resolve
          </button>
        ) : open ? (
          <button
            type="button"
            className={secondaryButton}
            disabled={busy}
            onClick={() => reopen.mutate(ids)}
          >
            Reopen
          </button>
        ) : null}
      </div>
      {error ? <ErrorNotice>{error.message}</ErrorNotice> : null}
    </div>
  );
}
