/**
 * The one name and the measured accuracy of what the reports show, so every page says the same thing.
 *
 * The product reads facial expressions, not feelings: an expression is not "a determination of a person's
 * internal emotional state" (AWS's wording for its own face analysis), so no page says that shoppers
 * "reject" or "feel" anything.
 */

/** The name of the rate, in a sentence. */
export const RATE_NAME = "negative-expression rate";
/** The name of the rate, as a heading or column label. */
export const RATE_LABEL = "Negative-expression rate";

/** Where the full explanation lives. */
export const MEASUREMENTS_PATH = "/about/measurements";

/**
 * The expression model's accuracy on FER-2013 PublicTest, measured through the product's own runtime
 * (packages/inference/models/fer-vgg-s.md; `measurement.test.ts` checks these against fer-vgg-s.json).
 */
export const MODEL_ACCURACY = {
  model: "fer-vgg-s",
  dataset: "FER-2013 PublicTest",
  faces: 3589,
  /** Default views (the face and its mirror image), 0–1. */
  accuracy: 0.6994,
  /** Without the 280 test faces that also appear in the training data, 0–1. */
  accuracyUnseen: 0.6821,
  macroF1: 0.68,
  /** Recall of the classes that count as negative by default, 0–1. */
  recall: { angry: 0.623, disgust: 0.536 },
  /** Typical agreement of human raters on FER-2013, 0–1. */
  humanAgreement: 0.65,
  command:
    "npm run -s eval:expressions -w @shelf/inference -- --data ../../../shared/datasets/fer2013-publictest",
} as const;
