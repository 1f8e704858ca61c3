import { renderPrompt, type ItemSurveySummary, type SurveyQuestions } from "@shelf/survey-engine";

const pct = (n: number, of: number) => (of === 0 ? 0 : Math.round((100 * n) / of));
const answers = (n: number) => (n === 1 ? "1 answer" : `${n} answers`);

/**
 * A per-item survey summary: responses, rating distribution, option counts, sentiment of the free text,
 * and the top topics with example answers. Shoppers' words are rendered as React text (escaped), never
 * as HTML.
 */
export function SurveySummaryView({
  summary,
  questions,
}: {
  summary: ItemSurveySummary;
  questions: SurveyQuestions;
}) {
  const ratingQ = questions.find((q) => q.kind === "rating");
  const { rating, sentiment } = summary;
  return (
    <div className="space-y-6" data-testid="survey-summary">
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Responses</dt>
          <dd className="text-2xl font-semibold tabular-nums" data-testid="summary-responses">
            {summary.responses}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Declined</dt>
          <dd className="text-2xl font-semibold tabular-nums">{summary.declined}</dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Mean rating</dt>
          <dd className="text-2xl font-semibold tabular-nums">
            {rating.mean === null ? "—" : `${rating.mean.toFixed(1)} / ${rating.scale}`}
          </dd>
        </div>
        <div className="rounded-lg border border-slate-200 bg-white p-4">
          <dt className="text-sm text-slate-500">Free-text sentiment</dt>
          <dd className="text-2xl font-semibold tabular-nums">
            {sentiment.mean === null ? "—" : sentiment.mean.toFixed(2)}
          </dd>
          <dd className="text-xs text-slate-500">
            {sentiment.negative} negative · {sentiment.neutral} neutral · {sentiment.positive} positive
          </dd>
        </div>
      </dl>

      {rating.n > 0 ? (
        <section aria-labelledby="rating-heading" className="space-y-2">
          <h3 id="rating-heading" className="font-semibold">
            {ratingQ ? renderPrompt(ratingQ.prompt, { item: "this product" }) : "Rating"} ({answers(rating.n)}
            )
          </h3>
          <ul className="space-y-1">
            {rating.distribution.map((n, i) => (
              <li key={i} className="flex items-center gap-3 text-sm">
                <span className="w-6 text-right tabular-nums">{i + 1}</span>
                <span className="h-4 flex-1 rounded bg-slate-100" aria-hidden="true">
                  <span
                    className="block h-4 rounded bg-slate-700"
                    style={{ width: `${pct(n, rating.n)}%` }}
                  />
                </span>
                <span className="w-20 tabular-nums">
                  {n} ({pct(n, rating.n)}%)
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {summary.choices.map((c) => (
        <section key={c.questionId} aria-labelledby={`choice-${c.questionId}`} className="space-y-2">
          <h3 id={`choice-${c.questionId}`} className="font-semibold">
            {renderPrompt(c.prompt, { item: "this product" })} ({answers(c.n)}
            {c.multiple ? ", several allowed" : ""})
          </h3>
          <ul className="grid gap-1 text-sm sm:grid-cols-2">
            {c.options.map((o) => (
              <li
                key={o.id}
                className="flex justify-between rounded border border-slate-200 bg-white px-3 py-1"
              >
                <span>{o.label}</span>
                <span className="tabular-nums">{o.count}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}

      <section aria-labelledby="topics-heading" className="space-y-3">
        <h3 id="topics-heading" className="font-semibold">
          What shoppers wrote about
        </h3>
        {summary.topics.length === 0 ? (
          <p className="text-sm text-slate-500">Not enough free-text answers for topics yet.</p>
        ) : (
          <ol className="space-y-4">
            {summary.topics.map((t) => (
              <li
                key={t.label}
                className="rounded-lg border border-slate-200 bg-white p-4"
                data-testid="topic"
              >
                <p className="font-medium">
                  {t.label}{" "}
                  <span className="text-sm font-normal text-slate-500">
                    {answers(t.count)} ({Math.round(t.share * 100)}%)
                  </span>
                </p>
                <ul className="mt-2 space-y-2">
                  {t.examples.map((e) => (
                    <li key={e.id}>
                      <blockquote
                        className="whitespace-pre-line border-l-4 border-slate-300 pl-3 text-sm text-slate-700"
                        data-testid="example-answer"
                      >
                        {e.text}
                      </blockquote>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        )}
        {summary.unclustered > 0 ? (
          <p className="text-sm text-slate-500">
            {summary.unclustered === 1
              ? "1 free-text answer fits"
              : `${summary.unclustered} free-text answers fit`}{" "}
            no topic.
          </p>
        ) : null}
      </section>
    </div>
  );
}
