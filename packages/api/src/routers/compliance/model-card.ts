/**
 * What the privacy notice and the DPIA export say about the expression model: the default model's measured
 * accuracy, quoted from its model card (`packages/inference/models/fer-vgg-s.md`, runtime figures of
 * `npm run eval:expressions`). The API may not import `@shelf/inference` (layout rules), so the figures are
 * copied here once; `model-card.test.ts` fails when they no longer match the card and its `fer-vgg-s.json`.
 */
export interface ExpressionModelFacts {
  /** The model's name (`fer-vgg-s`). */
  name: string;
  /** What it outputs: 7 expression classes of one face crop. */
  classes: readonly string[];
  /** The benchmark it was measured on. */
  benchmark: string;
  /** Faces in the benchmark. */
  benchmarkFaces: number;
  /** Share of benchmark faces whose expression label it predicts (0–1), the default views (centre + mirror). */
  accuracy: number;
  /** The same without the test faces that are duplicates of training faces (0–1): the honest figure for unseen faces. */
  accuracyUnseen: number;
  /** Macro-averaged F1 (0–1). */
  macroF1: number;
  /** Recall per class (0–1), default views. */
  recall: Readonly<Record<string, number>>;
  /** Where the figures come from (repository path) and how to measure them again. */
  source: string;
  command: string;
}

export const EXPRESSION_MODEL: ExpressionModelFacts = {
  name: "fer-vgg-s",
  classes: ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
  benchmark: "FER-2013 PublicTest",
  benchmarkFaces: 3589,
  accuracy: 0.6994,
  accuracyUnseen: 0.6821,
  macroF1: 0.68,
  recall: {
    angry: 0.623,
    disgust: 0.536,
    fear: 0.484,
    happy: 0.875,
    sad: 0.617,
    surprise: 0.843,
    neutral: 0.68,
  },
  source: "packages/inference/models/fer-vgg-s.md",
  command: "npm run -s eval:expressions -w @shelf/inference -- --data <fer2013-publictest>",
};

/** "69.9 %": a share (0–1) as a percentage with one decimal. */
export function percent(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
