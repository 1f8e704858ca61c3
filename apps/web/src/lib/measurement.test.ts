import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MODEL_ACCURACY } from "./measurement.ts";

/** The model's own metadata, written when it was exported and evaluated. */
const card = JSON.parse(
  readFileSync(new URL("../../../../packages/inference/models/fer-vgg-s.json", import.meta.url), "utf8"),
) as {
  name: string;
  publicTest: { flip: { accuracy: number; accuracyWithoutDuplicates: number; macroF1: number } };
};

describe("the accuracy the pages quote", () => {
  it("is the shipped model's measured PublicTest accuracy (runtime and PyTorch agree to 0.03 points)", () => {
    expect(MODEL_ACCURACY.model).toBe(card.name);
    expect(Math.abs(MODEL_ACCURACY.accuracy - card.publicTest.flip.accuracy)).toBeLessThanOrEqual(0.0005);
    expect(
      Math.abs(MODEL_ACCURACY.accuracyUnseen - card.publicTest.flip.accuracyWithoutDuplicates),
    ).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(MODEL_ACCURACY.macroF1 - card.publicTest.flip.macroF1)).toBeLessThanOrEqual(0.005);
  });
});
