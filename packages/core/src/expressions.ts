import { z } from "zod";

/**
 * The seven expression classes, in the fixed order used by every probability vector in the project
 * (model outputs, job payloads, interaction rows). FER-2013's folder names use the same words.
 */
export const EXPRESSIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;
export type Expression = (typeof EXPRESSIONS)[number];
export const ZExpression = z.enum(EXPRESSIONS);

/** Probabilities over {@link EXPRESSIONS}, same order, summing to ~1. */
export type ExpressionProbs = readonly number[] & { readonly length: 7 };
export const ZExpressionProbs = z
  .array(z.number().min(0).max(1))
  .length(EXPRESSIONS.length)
  .refine((p) => Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-3, "probabilities must sum to 1")
  .transform((p) => p as unknown as ExpressionProbs);

/**
 * Valence weight per expression, in −1…1 (happy +1, surprise +0.2, neutral 0, the rest negative).
 * Interaction valence is 100 × Σ pᵢ·wᵢ, so it lies in −100…100.
 */
export const VALENCE_WEIGHTS: Record<Expression, number> = {
  angry: -0.9,
  disgust: -1,
  fear: -0.6,
  happy: 1,
  sad: -0.7,
  surprise: 0.2,
  neutral: 0,
};

/** The class with the highest probability (first wins on ties). */
export function dominantExpression(probs: readonly number[]): Expression {
  let best = 0;
  for (let i = 1; i < EXPRESSIONS.length; i++) if ((probs[i] ?? 0) > (probs[best] ?? 0)) best = i;
  return EXPRESSIONS[best]!;
}

/** Valence in −100…100 of one probability vector. */
export function valenceOf(probs: readonly number[]): number {
  let v = 0;
  EXPRESSIONS.forEach((e, i) => (v += (probs[i] ?? 0) * VALENCE_WEIGHTS[e]));
  return Math.max(-100, Math.min(100, 100 * v));
}
