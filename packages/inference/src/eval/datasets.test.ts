import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFaceAnalyzer, type FaceAnalyzer } from "../analyzer.ts";
import { describeWithDataset } from "../test-support/datasets.ts";
import { evaluateDetection } from "./detection.ts";
import { evaluateExpressions } from "./expressions.ts";

const quiet = { info: () => undefined, warn: () => undefined };

/**
 * Accuracy floors on FER-2013 PublicTest, a little under what was measured (models/fer-vgg-s.md and the
 * README), so that a regression in preprocessing, export or runtime fails CI while run-to-run noise does not.
 */
const FLOORS = {
  onnx: { accuracy: 0.69, macroF1: 0.67 },
  ensemble: { accuracy: 0.65, macroF1: 0.6 },
} as const;

describeWithDataset(
  "fer2013-publictest",
  "expression accuracy on FER-2013 PublicTest (3,589 faces)",
  (dir) => {
    for (const model of ["onnx", "ensemble"] as const)
      describe(model === "onnx" ? "our ONNX model (default)" : "the tfjs ensemble (fallback)", () => {
        let analyzer: FaceAnalyzer;
        beforeAll(async () => {
          analyzer = createFaceAnalyzer({ landmarks: false, expression: { model } }, { logger: quiet });
          await analyzer.load();
        });
        afterAll(() => analyzer?.dispose());

        it(`reaches at least ${FLOORS[model].accuracy * 100} % accuracy with mirror averaging`, async () => {
          const r = await evaluateExpressions(analyzer, dir);
          console.info(
            `FER-2013 PublicTest, ${analyzer.expressionModel}: n ${r.n}, accuracy ${(r.accuracy * 100).toFixed(2)} %, ` +
              `macro-F1 ${r.macroF1.toFixed(4)}, coverage ${(r.coverage * 100).toFixed(2)} %, ${r.msPerImage.toFixed(1)} ms/image`,
          );
          expect(analyzer.expressionModel.split(":")[0]).toBe(model === "onnx" ? "onnx" : "tfjs");
          expect(r.n).toBe(3589);
          expect(r.accuracy).toBeGreaterThanOrEqual(FLOORS[model].accuracy);
          expect(r.macroF1).toBeGreaterThanOrEqual(FLOORS[model].macroF1);
          // The quality gate must not throw away real FER faces (only blanks).
          expect(r.coverage).toBeGreaterThan(0.998);
        }, 600_000);
      });
  },
);

describeWithDataset("face-boxes", "detection on face-boxes (IoU ≥ 0.4)", (dir) => {
  it("finds ≥ 95 % of faces at ≥ 90 % precision with the default detector, dogs.jpg as a negative", async () => {
    const analyzer = createFaceAnalyzer({ landmarks: false }, { logger: quiet });
    await analyzer.load();
    const r = await evaluateDetection(analyzer, dir, { negatives: ["dogs.jpg"] });
    await analyzer.dispose();
    console.info(
      `face-boxes: recall ${r.recall.toFixed(3)}, precision ${r.precision.toFixed(3)} (${r.tp} TP, ${r.fp} FP, ${r.fn} FN)`,
    );
    expect(r.faces).toBe(43);
    expect(r.recall).toBeGreaterThanOrEqual(0.95);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
