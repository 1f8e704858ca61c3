import Link from "next/link";
import type { Expression } from "@shelf/core";
import type { RouterOutputs } from "@shelf/api/root";
import { focusRing, link } from "~/lib/classes";
import { MEASUREMENTS_PATH, MODEL_ACCURACY, RATE_NAME } from "~/lib/measurement";

/** A store's rules as the note needs them (the `reports.measurement` procedure). */
export type MeasurementRules = RouterOutputs["reports"]["measurement"];

/** Expressions as nouns, for sentences ("disgust or anger"). */
export const EXPRESSION_NOUN: Record<Expression, string> = {
  angry: "anger",
  disgust: "disgust",
  fear: "fear",
  happy: "happiness",
  sad: "sadness",
  surprise: "surprise",
  neutral: "a neutral face",
};

const percent = (x: number) => `${(x * 100).toFixed(1)} %`;

/** "disgust, anger or hesitation" — the store's negative set in words. */
export function negativeSetInWords(rules: Pick<MeasurementRules, "negative" | "includeHesitation">): string {
  const parts = rules.negative.map((e) => EXPRESSION_NOUN[e]);
  if (rules.includeHesitation) parts.push("hesitation (a long look without a smile)");
  if (parts.length === 0) return "nothing (the store has no negative expressions set)";
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(", ")} or ${parts.at(-1)}`;
}

/**
 * "What is this?" next to every negative-expression rate: what counts (the store's own negative set), what
 * one interaction is, the interval and minimum counts, and how accurate the expression model is, with a
 * link to the full page. A native disclosure (`<details>`): keyboard and screen-reader friendly, no script.
 */
export function MetricDefinition({
  rules,
  testId = "metric-definition",
}: {
  rules: MeasurementRules;
  testId?: string;
}) {
  return (
    <details
      className="group max-w-3xl rounded-md border border-slate-200 bg-white text-sm"
      data-testid={testId}
    >
      <summary
        className={`cursor-pointer list-none rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-50 ${focusRing}`}
      >
        <span aria-hidden className="mr-1 inline-block transition-transform group-open:rotate-90">
          ▸
        </span>
        What is the {RATE_NAME}?
      </summary>
      <div className="space-y-2 border-t border-slate-200 px-3 py-3 text-slate-700">
        <p>
          The share of <strong>interactions</strong> whose dominant facial expression was{" "}
          <strong data-testid="negative-set">{negativeSetInWords(rules)}</strong> — this store’s negative set,
          chosen by its admins. One interaction is one tracked face at one shelf zone, not one person: a
          shopper who comes back counts again.
        </p>
        <p>
          Rates come with a 95 % Wilson interval. Counts below k = {rules.k} interactions are hidden; a
          product is flagged only when the interval’s lower bound is above its threshold over the last{" "}
          {rules.windowHours} h, with at least {rules.minSample} interactions.
        </p>
        <p>
          The camera reads <strong>expressions, not feelings</strong>: an expression is not “a determination
          of a person’s internal emotional state”. The model ({MODEL_ACCURACY.model}) labels{" "}
          {percent(MODEL_ACCURACY.accuracy)} of the {MODEL_ACCURACY.faces.toLocaleString("en")} faces of{" "}
          {MODEL_ACCURACY.dataset} correctly ({percent(MODEL_ACCURACY.accuracyUnseen)} of those it never saw
          in training; it finds {percent(MODEL_ACCURACY.recall.angry)} of angry and{" "}
          {percent(MODEL_ACCURACY.recall.disgust)} of disgusted faces) — so read rates over many interactions,
          never one face.
        </p>
        <p>
          <Link href={MEASUREMENTS_PATH} className={link}>
            How we measure, in full
          </Link>
        </p>
      </div>
    </details>
  );
}
