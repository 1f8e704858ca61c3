import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFaceAnalyzer, type FaceAnalyzer } from "../analyzer.ts";
import { describeWithDataset } from "../test-support/datasets.ts";
import {
  combineReports,
  evaluateSequence,
  evaluateStills,
  standardSets,
  type ClipSequence,
} from "./detection.ts";
import { locateDataset } from "../datasets.ts";
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

/**
 * Detection floors (IoU ≥ 0.4) for the default detector, a little under what `npm run eval:detection`
 * measured (README "Detection"): recall and precision per annotated set, false positives on the negatives.
 */
const DETECTION_FLOORS: Record<
  string,
  {
    recall: number;
    precision: number;
    mode: "stills" | "sequence";
    spec: { recall: number; precision: number };
  }[]
> = {
  "face-boxes": [{ mode: "stills", recall: 0.97, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } }],
  // The same photos turned ±30° and ±45° (head roll): 172 faces, measured 100 % / 96.6 %.
  "face-boxes rolled ±30°, ±45°": [
    { mode: "stills", recall: 0.97, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } },
  ],
  "face-demographics-walking-and-pause.gif": [
    { mode: "stills", recall: 0.97, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } },
    { mode: "sequence", recall: 0.97, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } },
  ],
  // 24 faces of 12–25 px: one miss is 4 points (stills measured 95.8 %: the miss is a 12 px face, outside the
  // specified range; as the agent runs, 100 % / 100 %). 14 of them are in the specified range (16 px and up).
  "face-demographics-walking.gif": [
    { mode: "stills", recall: 0.95, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } },
    { mode: "sequence", recall: 0.95, precision: 0.95, spec: { recall: 0.97, precision: 0.95 } },
  ],
};
/** Clips with no visible face (people walk away, face the shelves): false positives allowed over all frames. */
const NEGATIVE_CLIPS = [
  "one-by-one-person-detection.gif",
  "people-detection.gif",
  "store-aisle-detection.gif",
];

describe("face detection on every annotated set (IoU ≥ 0.4)", () => {
  const present = locateDataset("face-boxes").present && locateDataset("store-video").present;
  if (!present && process.env.CI !== "true") {
    it.skip("needs ../shared/datasets (face-boxes, store-video)", () => undefined);
    return;
  }
  let analyzer: FaceAnalyzer;
  let sets: Awaited<ReturnType<typeof standardSets>>;
  beforeAll(async () => {
    analyzer = createFaceAnalyzer({ landmarks: false, expression: { model: "none" } }, { logger: quiet });
    await analyzer.load();
    sets = await standardSets();
  });
  afterAll(() => analyzer?.dispose());
  const opts = { detect: { boxesOnly: true } };

  for (const [set, floors] of Object.entries(DETECTION_FLOORS))
    for (const floor of floors)
      it(`${set} (${floor.mode}): recall ≥ ${floor.recall}, precision ≥ ${floor.precision}; in the specified range ≥ ${floor.spec.recall} / ${floor.spec.precision}`, async () => {
        const r =
          floor.mode === "stills"
            ? await evaluateStills(analyzer, set, sets.stills.get(set)!, opts)
            : await evaluateSequence(analyzer, set, ...clipOf(sets, set), opts);
        console.info(
          `${set} ${floor.mode}: recall ${r.recall.toFixed(3)}, precision ${r.precision.toFixed(3)}`,
        );
        expect(r.faces).toBeGreaterThan(20);
        expect(r.recall).toBeGreaterThanOrEqual(floor.recall);
        expect(r.precision).toBeGreaterThanOrEqual(floor.precision);
        // Faces of 16 px to half the frame height (SPEC_RANGE); the others ignored.
        expect(r.inSpec.faces).toBeGreaterThan(10);
        expect(r.inSpec.recall).toBeGreaterThanOrEqual(floor.spec.recall);
        expect(r.inSpec.precision).toBeGreaterThanOrEqual(floor.spec.precision);
      }, 180_000);

  it("all store clips together, run as the agent runs: recall ≥ 0.97 at precision ≥ 0.95", async () => {
    const reports = [];
    for (const clip of sets.clips)
      reports.push(await evaluateSequence(analyzer, clip.name, clip.frames, clip.annotated, opts));
    const all = combineReports("store-video", reports);
    expect(all.faces).toBe(66);
    expect(all.recall).toBeGreaterThanOrEqual(0.97);
    expect(all.precision).toBeGreaterThanOrEqual(0.95);
    expect(all.inSpec.faces).toBe(56);
    expect(all.inSpec.recall).toBeGreaterThanOrEqual(0.97);
  }, 300_000);

  it.each(NEGATIVE_CLIPS)(
    "%s: at most one false positive in its annotated frames",
    async (clip) => {
      const r = await evaluateStills(analyzer, clip, sets.stills.get(clip)!, opts);
      expect(r.faces).toBe(0);
      expect(r.fp).toBeLessThanOrEqual(1);
    },
    180_000,
  );
});

function clipOf(
  sets: Awaited<ReturnType<typeof standardSets>>,
  name: string,
): [ClipSequence["frames"], ClipSequence["annotated"]] {
  const clip = sets.clips.find((c) => c.name === name)!;
  return [clip.frames, clip.annotated];
}
