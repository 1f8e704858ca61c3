import { z } from "zod";
import type { SurveyQuestions } from "./questions.ts";
import { clusterTopics, type Topic, type TopicOptions } from "./topics.ts";

/** One stored response, as the summary reads it (a subset of the SurveyResponse row). */
export interface ResponseRecord {
  id: string;
  /** The answers JSON (validated when stored; read leniently here, since templates change). */
  answers: unknown;
  rating: number | null;
  freeText: string | null;
  /** −1…1, null without free text. */
  sentiment: number | null;
  /** Keyword lemmas of the free text. */
  topics: readonly string[];
}

export interface ItemSurveySummary {
  /** Stored responses (each one consented). */
  responses: number;
  /** Invitations declined on the consent screen. */
  declined: number;
  rating: {
    /** Points of the scale, 1…scale. */
    scale: number;
    /** Responses per point: `distribution[k - 1]` answered k. */
    distribution: number[];
    /** Responses with a rating. */
    n: number;
    /** null when n = 0. */
    mean: number | null;
  };
  /** Per choice question of the current template: how often each option was picked. */
  choices: {
    questionId: string;
    prompt: string;
    multiple: boolean;
    /** Responses that answered this question. */
    n: number;
    options: { id: string; label: string; count: number }[];
  }[];
  sentiment: {
    /** Responses with free text. */
    n: number;
    /** null when n = 0. */
    mean: number | null;
    /** Counts by sign, with ±0.05 as neutral. */
    positive: number;
    neutral: number;
    negative: number;
  };
  topics: Topic[];
  /** Free-text answers in no topic. */
  unclustered: number;
}

/** Sentiment within ±this counts as neutral. */
const NEUTRAL_BAND = 0.05;

/**
 * The per-item summary a merchandiser reads: response count, rating distribution and mean, option counts,
 * free-text sentiment, and the top topics with example answers (see `clusterTopics`). Answers given under
 * an older template are counted where they still fit the current one; `rating` uses the stored column.
 */
export function summarizeItemResponses(input: {
  questions: SurveyQuestions;
  responses: readonly ResponseRecord[];
  declined: number;
  topicOptions?: TopicOptions;
}): ItemSurveySummary {
  const { questions, responses } = input;
  const ratingQ = questions.find((q) => q.kind === "rating");
  const observedMax = Math.max(0, ...responses.map((r) => r.rating ?? 0));
  const scale = Math.min(10, Math.max(ratingQ?.kind === "rating" ? ratingQ.scale : 5, observedMax));
  const distribution = Array.from({ length: scale }, () => 0);
  let ratingSum = 0;
  let ratingN = 0;
  for (const r of responses) {
    if (r.rating === null || !Number.isInteger(r.rating) || r.rating < 1 || r.rating > scale) continue;
    distribution[r.rating - 1]! += 1;
    ratingSum += r.rating;
    ratingN += 1;
  }

  const answerMaps = responses.map((r) => {
    const parsed = z.record(z.string(), z.unknown()).safeParse(r.answers);
    return parsed.success ? parsed.data : {};
  });
  const choices = questions.flatMap((q) => {
    if (q.kind !== "choice") return [];
    const counts = new Map(q.options.map((o) => [o.id, 0]));
    let n = 0;
    for (const a of answerMaps) {
      const v = a[q.id];
      const picked = (Array.isArray(v) ? v : [v]).filter(
        (x): x is string => typeof x === "string" && counts.has(x),
      );
      if (picked.length === 0) continue;
      n += 1;
      for (const p of new Set(picked)) counts.set(p, counts.get(p)! + 1);
    }
    return [
      {
        questionId: q.id,
        prompt: q.prompt,
        multiple: q.multiple,
        n,
        options: q.options.map((o) => ({ id: o.id, label: o.label, count: counts.get(o.id)! })),
      },
    ];
  });

  const withText = responses.filter((r) => r.freeText !== null && r.freeText.trim() !== "");
  const sentiments = withText.map((r) => r.sentiment).filter((s): s is number => typeof s === "number");
  const clusters = clusterTopics(
    withText.map((r) => ({ id: r.id, keywords: r.topics, text: r.freeText! })),
    input.topicOptions,
  );
  return {
    responses: responses.length,
    declined: input.declined,
    rating: { scale, distribution, n: ratingN, mean: ratingN === 0 ? null : ratingSum / ratingN },
    choices,
    sentiment: {
      n: sentiments.length,
      mean: sentiments.length === 0 ? null : sentiments.reduce((a, b) => a + b, 0) / sentiments.length,
      positive: sentiments.filter((s) => s > NEUTRAL_BAND).length,
      neutral: sentiments.filter((s) => Math.abs(s) <= NEUTRAL_BAND).length,
      negative: sentiments.filter((s) => s < -NEUTRAL_BAND).length,
    },
    topics: clusters.topics,
    unclustered: clusters.unclustered,
  };
}
