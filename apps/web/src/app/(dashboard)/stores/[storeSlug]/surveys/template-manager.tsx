"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { RouterOutputs } from "@shelf/api/root";
import type { SurveyQuestion } from "@shelf/survey-engine";
import { ErrorNotice, StatusNotice } from "~/components/notice";
import { DataTable, rowClass } from "~/components/ui/data-table";
import { Field } from "~/components/ui/field";
import { button, input, secondaryButton, td } from "~/lib/classes";
import { dateTime } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { blankQuestion, QuestionEditor, type DraftQuestion } from "./question-editor";

type Template = RouterOutputs["survey"]["templates"]["templates"][number];

interface Draft {
  id?: string;
  /** "item:<id>" or "category:<name>". */
  target: string;
  active: boolean;
  questions: DraftQuestion[];
}

const COLUMNS = [
  { label: "Asked about" },
  { label: "Questions" },
  { label: "State" },
  { label: "Changed" },
  { label: "Actions", srOnly: true },
];

function freshId(questions: DraftQuestion[], kind: SurveyQuestion["kind"]): string {
  for (let n = 1; ; n++) if (!questions.some((q) => q.id === `${kind}${n}`)) return `${kind}${n}`;
}

/** Question templates of the store's products and categories: list, create, edit, switch off. */
export function TemplateManager({ storeSlug }: { storeSlug: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.survey.templates.queryOptions({ storeSlug }));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.survey.saveTemplate.mutationOptions({
      onSuccess: async () => {
        setDraft(null);
        setSaved(true);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.survey.templates.queryKey({ storeSlug }) }),
          queryClient.invalidateQueries({ queryKey: trpc.survey.items.queryKey({ storeSlug }) }),
        ]);
      },
    }),
  );

  function edit(t: Template) {
    setSaved(false);
    save.reset();
    setDraft({
      id: t.id,
      target: t.scope === "item" ? `item:${t.item!.id}` : `category:${t.category}`,
      active: t.active,
      questions: t.questions ?? [blankQuestion("rating", "rating1")],
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!draft) return;
    const [kind, ...rest] = draft.target.split(":");
    const value = rest.join(":");
    save.mutate({
      storeSlug,
      id: draft.id,
      target: kind === "item" ? { kind: "item", itemId: value } : { kind: "category", category: value },
      active: draft.active,
      questions: draft.questions.map(({ optionLines: _, ...q }) => q),
    });
  }

  const describe = (t: Template) =>
    t.scope === "item" ? `${t.item!.name} (this product only)` : `Category “${t.category}”`;

  return (
    <section aria-labelledby="templates-heading" className="space-y-3">
      <h2 id="templates-heading" className="text-lg font-semibold">
        Question templates
      </h2>
      <p className="max-w-3xl text-sm text-slate-600">
        A product&rsquo;s own template replaces its category&rsquo;s; without either, shoppers get the default
        questions. Templates belong to the product or category, so they apply in every store that sells it. A
        template that was asked is never deleted (its answers point at it): switch it off instead.
      </p>
      {saved ? <StatusNotice testId="template-saved">Template saved.</StatusNotice> : null}
      <DataTable
        columns={COLUMNS}
        caption="Question templates"
        rows={data.templates}
        rowKey={(t) => t.id}
        empty="No templates yet: every product gets the default questions."
        testId="templates"
        renderRow={(t) => (
          <tr className={rowClass} data-testid="template-row">
            <td className={td}>{describe(t)}</td>
            <td className={td}>
              {t.questions ? (
                <ol className="list-decimal pl-4">
                  {t.questions.map((q) => (
                    <li key={q.id}>{q.prompt}</li>
                  ))}
                </ol>
              ) : (
                <span className="text-red-700">Cannot be used: {t.problem}</span>
              )}
            </td>
            <td className={td}>
              {t.active ? "in use" : "switched off"} · asked {t.invites}×
            </td>
            <td className={td}>{dateTime(t.updatedAt)}</td>
            <td className={`${td} text-right`}>
              <button type="button" className={secondaryButton} onClick={() => edit(t)}>
                Edit
              </button>
            </td>
          </tr>
        )}
      />
      {draft ? (
        <form
          onSubmit={submit}
          className="space-y-4 rounded-lg border border-slate-300 bg-white p-4"
          aria-label="Template"
        >
          <div className="flex flex-wrap items-end gap-3">
            <Field label="Asked about">
              <select
                className={input}
                value={draft.target}
                disabled={draft.id !== undefined}
                onChange={(e) => setDraft({ ...draft, target: e.target.value })}
              >
                <optgroup label="Every product of a category">
                  {data.categories.map((c) => (
                    <option key={c} value={`category:${c}`}>
                      {c}
                    </option>
                  ))}
                </optgroup>
                <optgroup label="One product">
                  {data.items.map((i) => (
                    <option key={i.id} value={`item:${i.id}`}>
                      {i.name} ({i.sku})
                    </option>
                  ))}
                </optgroup>
              </select>
            </Field>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={draft.active}
                onChange={(e) => setDraft({ ...draft, active: e.target.checked })}
              />
              In use
            </label>
          </div>
          {draft.questions.map((q, i) => (
            <QuestionEditor
              key={q.id}
              index={i}
              question={q}
              onChange={(next) =>
                setDraft({ ...draft, questions: draft.questions.map((x, j) => (j === i ? next : x)) })
              }
              onRemove={() => setDraft({ ...draft, questions: draft.questions.filter((_, j) => j !== i) })}
            />
          ))}
          {save.error ? <ErrorNotice>{save.error.message}</ErrorNotice> : null}
          <div className="flex flex-wrap gap-3">
            {draft.questions.length < 10
              ? (["rating", "choice", "text"] as const).map((kind) => (
                  <button
                    key={kind}
                    type="button"
                    className={secondaryButton}
                    onClick={() =>
                      setDraft({
                        ...draft,
                        questions: [...draft.questions, blankQuestion(kind, freshId(draft.questions, kind))],
                      })
                    }
                  >
                    Add {kind === "rating" ? "a rating" : kind === "choice" ? "a choice" : "a free-text"}{" "}
                    question
                  </button>
                ))
              : null}
          </div>
          <div className="flex gap-3">
            <button
              type="submit"
              className={button}
              disabled={save.isPending || draft.questions.length === 0}
            >
              Save template
            </button>
            <button type="button" className={secondaryButton} onClick={() => setDraft(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div>
          <button
            type="button"
            className={button}
            disabled={data.categories.length === 0}
            onClick={() => {
              setSaved(false);
              save.reset();
              setDraft({
                target: data.categories[0] ? `category:${data.categories[0]}` : "",
                active: true,
                questions: [blankQuestion("rating", "rating1")],
              });
            }}
          >
            New template
          </button>
        </div>
      )}
    </section>
  );
}
