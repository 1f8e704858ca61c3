import type { Metadata } from "next";
import { redirect } from "next/navigation";
import {
  ANSWER_FIELD_PREFIX,
  CONSENT_TEXT,
  renderPrompt,
  type ChoiceQuestion,
  type RatingQuestion,
  type SurveyQuestion,
  type TextQuestion,
} from "@shelf/survey-engine";
import { db } from "@shelf/api/db";
import { surveyConfigFromEnv } from "@shelf/api/survey/context";
import { loadInvite } from "@shelf/api/survey/invites";
import { StatusView } from "../../_components/status-view";
import { primaryButton, SurveyShell } from "../../_components/survey-shell";

export const dynamic = "force-dynamic";
export const metadata: Metadata = {
  title: "Your answers — Shelf Sentiment",
  referrer: "no-referrer",
  robots: { index: false, follow: false },
};

/** Seconds a kiosk keeps an unsent form before returning to its idle page (nothing is stored then). */
const KIOSK_IDLE_S = 180;

const field = (q: SurveyQuestion) => `${ANSWER_FIELD_PREFIX}${q.id}`;
const errorId = (q: SurveyQuestion) => `error-${q.id}`;

function ErrorText({ q }: { q: SurveyQuestion }) {
  return (
    <p id={errorId(q)} className="text-base font-medium text-red-700">
      {q.kind === "text"
        ? `Please check this answer (at most ${q.maxLength} characters).`
        : "Please answer this question."}
    </p>
  );
}

function Rating({ q, item, invalid }: { q: RatingQuestion; item: string; invalid: boolean }) {
  return (
    <fieldset className="space-y-3" aria-describedby={invalid ? errorId(q) : undefined}>
      <legend className="mb-2 font-semibold">
        {renderPrompt(q.prompt, { item })}
        {q.required ? null : <span className="font-normal text-slate-500"> (optional)</span>}
      </legend>
      {invalid ? <ErrorText q={q} /> : null}
      <div className="flex flex-wrap gap-2">
        {Array.from({ length: q.scale }, (_, i) => i + 1).map((n) => (
          <label
            key={n}
            className="flex min-h-14 min-w-14 flex-1 cursor-pointer items-center justify-center gap-2 rounded-xl border-2 border-slate-300 px-3 has-[:checked]:border-slate-900 has-[:checked]:bg-slate-900 has-[:checked]:text-white has-[:focus-visible]:ring-4 has-[:focus-visible]:ring-amber-400"
          >
            <input
              type="radio"
              name={field(q)}
              value={n}
              required={q.required}
              className="size-5 accent-amber-400"
              aria-label={n === 1 ? `1, ${q.lowLabel}` : n === q.scale ? `${n}, ${q.highLabel}` : String(n)}
            />
            <span aria-hidden="true">{n}</span>
          </label>
        ))}
      </div>
      <p className="flex justify-between text-base text-slate-600" aria-hidden="true">
        <span>1 = {q.lowLabel}</span>
        <span>
          {q.scale} = {q.highLabel}
        </span>
      </p>
    </fieldset>
  );
}

function Choice({ q, item, invalid }: { q: ChoiceQuestion; item: string; invalid: boolean }) {
  return (
    <fieldset className="space-y-3" aria-describedby={invalid ? errorId(q) : undefined}>
      <legend className="mb-2 font-semibold">
        {renderPrompt(q.prompt, { item })}
        {q.multiple || !q.required ? (
          <span className="font-normal text-slate-500">
            {` (${[q.multiple ? "pick any" : "", q.required ? "" : "optional"].filter(Boolean).join(", ")})`}
          </span>
        ) : null}
      </legend>
      {invalid ? <ErrorText q={q} /> : null}
      <div className="grid gap-2">
        {q.options.map((o) => (
          <label
            key={o.id}
            className="flex min-h-14 cursor-pointer items-center gap-3 rounded-xl border-2 border-slate-300 px-4 has-[:checked]:border-slate-900 has-[:checked]:bg-slate-100 has-[:focus-visible]:ring-4 has-[:focus-visible]:ring-amber-400"
          >
            <input
              type={q.multiple ? "checkbox" : "radio"}
              name={field(q)}
              value={o.id}
              required={q.required && !q.multiple}
              className="size-6 shrink-0 accent-slate-900"
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function FreeText({ q, item, invalid }: { q: TextQuestion; item: string; invalid: boolean }) {
  const id = `input-${q.id}`;
  return (
    <div className="space-y-2">
      <label htmlFor={id} className="block font-semibold">
        {renderPrompt(q.prompt, { item })}
        {q.required ? null : <span className="font-normal text-slate-500"> (optional)</span>}
      </label>
      {invalid ? <ErrorText q={q} /> : null}
      <textarea
        id={id}
        name={field(q)}
        rows={4}
        maxLength={q.maxLength}
        required={q.required}
        aria-invalid={invalid || undefined}
        aria-describedby={`${id}-hint${invalid ? ` ${errorId(q)}` : ""}`}
        className="block w-full rounded-xl border-2 border-slate-300 p-3 text-lg focus-visible:border-slate-900 focus-visible:outline-none focus-visible:ring-4 focus-visible:ring-amber-400"
      />
      <p id={`${id}-hint`} className="text-base text-slate-600">
        Up to {q.maxLength} characters. Please do not include names or contact details.
      </p>
    </div>
  );
}

/** The questions, reached only through the consent screen's "yes". Nothing is stored until Send. */
export default async function QuestionsPage({
  params,
  searchParams,
}: {
  params: Promise<{ token: string }>;
  searchParams: Promise<{ consent?: string | string[]; invalid?: string | string[] }>;
}) {
  const { token } = await params;
  const sp = await searchParams;
  const base = `/s/${encodeURIComponent(token)}`;
  const view = await loadInvite(db(), token, surveyConfigFromEnv().secret);
  if (view.state === "invalid") return <StatusView kind="invalid" kioskId={null} />;
  if (view.state !== "open") return <StatusView kind={view.state} kioskId={view.kioskId} />;
  // No (current) consent: back to the consent screen.
  if (sp.consent !== CONSENT_TEXT.version) redirect(sp.consent ? `${base}?changed=1` : base);
  const invalid = new Set(typeof sp.invalid === "string" ? sp.invalid.split(",").slice(0, 20) : []);
  const shown = view.questions.filter((q) => invalid.has(q.id));
  const item = view.item.name;
  return (
    <SurveyShell kioskId={view.kioskId} idleReturnS={KIOSK_IDLE_S}>
      <h1 className="text-3xl font-semibold leading-tight">About {item}</h1>
      {invalid.size > 0 ? (
        <div
          role="alert"
          className="rounded-lg border border-red-300 bg-red-50 p-3 text-base"
          data-testid="answer-errors"
        >
          <p className="font-semibold">Some answers need another look:</p>
          <ul className="list-disc pl-6">
            {shown.length > 0 ? (
              shown.map((q) => <li key={q.id}>{renderPrompt(q.prompt, { item })}</li>)
            ) : (
              <li>Please check your answers and send them again.</li>
            )}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`${base}/answer`} className="space-y-8">
        <input type="hidden" name="consent" value={CONSENT_TEXT.version} />
        {view.questions.map((q) =>
          q.kind === "rating" ? (
            <Rating key={q.id} q={q} item={item} invalid={invalid.has(q.id)} />
          ) : q.kind === "choice" ? (
            <Choice key={q.id} q={q} item={item} invalid={invalid.has(q.id)} />
          ) : (
            <FreeText key={q.id} q={q} item={item} invalid={invalid.has(q.id)} />
          ),
        )}
        <button type="submit" className={primaryButton}>
          Send
        </button>
      </form>
      <p className="text-base text-slate-600">
        You agreed to the consent text {CONSENT_TEXT.version}. Closing this page sends nothing.
      </p>
    </SurveyShell>
  );
}
