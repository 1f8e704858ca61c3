"use client";

import type { SurveyQuestion } from "@shelf/survey-engine";
import { Field } from "~/components/ui/field";
import { dangerButton, input } from "~/lib/classes";

/** A question as the form edits it: the survey engine's model, option labels as one per line. */
export type DraftQuestion = SurveyQuestion & { optionLines?: string };

const KINDS: { kind: SurveyQuestion["kind"]; label: string }[] = [
  { kind: "rating", label: "Rating scale" },
  { kind: "choice", label: "Pick from options" },
  { kind: "text", label: "Free text" },
];

/** A new question of a kind, with the model's defaults; `id` is unique in its template. */
export function blankQuestion(kind: SurveyQuestion["kind"], id: string): DraftQuestion {
  switch (kind) {
    case "rating":
      return {
        id,
        kind,
        prompt: "",
        scale: 5,
        lowLabel: "Very poor",
        highLabel: "Very good",
        required: true,
      };
    case "choice":
      return { id, kind, prompt: "", options: [], multiple: false, required: true, optionLines: "" };
    case "text":
      return { id, kind, prompt: "", maxLength: 500, required: false };
  }
}

/**
 * Option lines → options: a label already in the question keeps its stored id (so earlier answers still
 * count), a new one gets an id made from its words.
 */
export function optionsFromLines(lines: string, previous: { id: string; label: string }[]) {
  const used = new Set<string>();
  return lines
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .map((label) => {
      const kept = previous.find((o) => o.label === label && !used.has(o.id));
      let id =
        kept?.id ??
        (label
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^[^a-z]+|-+$/g, "")
          .slice(0, 28) ||
          "option");
      for (let n = 2; used.has(id); n++) id = `${id.slice(0, 28)}-${n}`;
      used.add(id);
      return { id, label };
    });
}

/** One question of a template: kind, prompt, and what its kind needs. */
export function QuestionEditor({
  index,
  question,
  onChange,
  onRemove,
}: {
  index: number;
  question: DraftQuestion;
  onChange: (q: DraftQuestion) => void;
  onRemove: () => void;
}) {
  const q = question;
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4" data-testid="question">
      <legend className="px-1 text-sm font-medium">Question {index + 1}</legend>
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Kind">
          <select
            className={input}
            value={q.kind}
            onChange={(e) => onChange(blankQuestion(e.target.value as SurveyQuestion["kind"], q.id))}
          >
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Question" hint="{item} is replaced by the product's name." className="min-w-72 flex-1">
          <input
            className={input}
            required
            maxLength={200}
            value={q.prompt}
            onChange={(e) => onChange({ ...q, prompt: e.target.value })}
          />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={q.required}
            onChange={(e) => onChange({ ...q, required: e.target.checked })}
          />
          Must be answered
        </label>
        <button type="button" className={dangerButton} onClick={onRemove}>
          Remove
        </button>
      </div>
      {q.kind === "rating" ? (
        <div className="flex flex-wrap gap-3">
          <Field label="Points (2–10)">
            <input
              type="number"
              min={2}
              max={10}
              className={input}
              value={q.scale}
              onChange={(e) => onChange({ ...q, scale: Number(e.target.value) })}
            />
          </Field>
          <Field label="Lowest point says">
            <input
              className={input}
              maxLength={60}
              value={q.lowLabel}
              onChange={(e) => onChange({ ...q, lowLabel: e.target.value })}
            />
          </Field>
          <Field label="Highest point says">
            <input
              className={input}
              maxLength={60}
              value={q.highLabel}
              onChange={(e) => onChange({ ...q, highLabel: e.target.value })}
            />
          </Field>
        </div>
      ) : null}
      {q.kind === "choice" ? (
        <div className="flex flex-wrap items-start gap-3">
          <Field label="Options, one per line (2–10)" className="min-w-72 flex-1">
            <textarea
              rows={4}
              className={input}
              value={q.optionLines ?? q.options.map((o) => o.label).join("\n")}
              onChange={(e) =>
                onChange({
                  ...q,
                  optionLines: e.target.value,
                  options: optionsFromLines(e.target.value, q.options),
                })
              }
            />
          </Field>
          <label className="flex items-center gap-2 pt-5 text-sm">
            <input
              type="checkbox"
              checked={q.multiple}
              onChange={(e) => onChange({ ...q, multiple: e.target.checked })}
            />
            Several may be picked
          </label>
        </div>
      ) : null}
      {q.kind === "text" ? (
        <Field label="Longest answer (characters)">
          <input
            type="number"
            min={1}
            max={2000}
            className={input}
            value={q.maxLength}
            onChange={(e) => onChange({ ...q, maxLength: Number(e.target.value) })}
          />
        </Field>
      ) : null}
    </fieldset>
  );
}
