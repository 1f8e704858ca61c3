import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPRESSIONS } from "@shelf/core";
import { createFaceAnalyzer } from "./analyzer.ts";
import { InferenceConfigError } from "./errors.ts";
import type { FaceCrop } from "./frame.ts";
import {
  DEFAULT_ONNX_MODEL,
  defaultOnnxModelPath,
  loadOnnxExpressionModel,
  ONNX_EXPRESSION_INPUT,
  type OnnxExpressionModel,
} from "./onnx-expression.ts";

const quiet = { info: () => undefined, warn: () => undefined };
const modelFile = defaultOnnxModelPath();
const side = ONNX_EXPRESSION_INPUT;

/** Written by `training/fer/export.py`: fixed inputs and the PyTorch fp32 logits of the same weights. */
const parity = JSON.parse(readFileSync(modelFile.replace(/\.onnx$/, ".parity.json"), "utf8")) as {
  shape: [number, 1, number, number];
  pixels: string;
  logits: number[][];
};
const meta = JSON.parse(readFileSync(modelFile.replace(/\.onnx$/, ".json"), "utf8")) as {
  labels: string[];
  sha256: string;
};

function fixtureCrops(): FaceCrop[] {
  const bytes = Buffer.from(parity.pixels, "base64");
  return Array.from({ length: parity.shape[0] }, (_, i) => ({
    width: side,
    height: side,
    channels: 1 as const,
    data: new Uint8Array(bytes.subarray(i * side * side, (i + 1) * side * side)),
  }));
}

function mirrored(crop: FaceCrop): FaceCrop {
  const data = new Uint8Array(crop.data.length);
  for (let y = 0; y < crop.height; y++)
    for (let x = 0; x < crop.width; x++)
      data[y * crop.width + x] = crop.data[y * crop.width + crop.width - 1 - x]!;
  return { ...crop, data };
}

describe(`the shipped ONNX expression model (${DEFAULT_ONNX_MODEL})`, () => {
  let model: OnnxExpressionModel;
  beforeAll(async () => {
    model = await loadOnnxExpressionModel(modelFile);
  });
  afterAll(() => model?.dispose());

  it("is the file its metadata describes, under the 10 MB budget, in the project's label order", () => {
    const bytes = readFileSync(modelFile);
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(meta.sha256);
    expect(bytes.length).toBeLessThanOrEqual(10 * 1024 * 1024);
    expect(meta.labels).toEqual([...EXPRESSIONS]);
  });

  it("matches PyTorch's fp32 logits on the fixed inputs (parity)", async () => {
    const n = parity.shape[0];
    const pixels = Float32Array.from(Buffer.from(parity.pixels, "base64"));
    const out = await model.logits(pixels, n);
    let maxDiff = 0;
    parity.logits.forEach((row, i) =>
      row.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - out[i * EXPRESSIONS.length + j]!)))),
    );
    const argmax = (row: ArrayLike<number>) =>
      Array.prototype.indexOf.call(row, Math.max(...Array.from(row)));
    console.info(`ONNX Runtime vs PyTorch: max |logit diff| ${maxDiff.toExponential(2)} over ${n} inputs`);
    expect(maxDiff).toBeLessThan(1e-4);
    parity.logits.forEach((row, i) =>
      expect(argmax(out.subarray(i * EXPRESSIONS.length, (i + 1) * EXPRESSIONS.length))).toBe(argmax(row)),
    );
  });

  it("turns logits into probabilities, and a batch gives what single crops give", async () => {
    const crops = fixtureCrops();
    const batch = await model.classify(crops, { flip: false });
    for (const [i, p] of batch.entries()) {
      expect(p).toHaveLength(EXPRESSIONS.length);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const logits = parity.logits[i]!;
      const e = logits.map((v) => Math.exp(v - Math.max(...logits)));
      const expected = e.map((v) => v / e.reduce((a, b) => a + b, 0));
      p.forEach((v, j) => expect(v).toBeCloseTo(expected[j]!, 4));
    }
    const [alone] = await model.classify([crops[3]!], { flip: false });
    alone!.forEach((v, j) => expect(v).toBeCloseTo(batch[3]![j]!, 5));
  });

  it("with mirror averaging, a face and its mirror image read the same", async () => {
    const crops = fixtureCrops().slice(0, 4);
    const a = await model.classify(crops, { flip: true });
    const b = await model.classify(crops.map(mirrored), { flip: true });
    const plain = await model.classify(crops, { flip: false });
    a.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(b[i]![j]!, 5)));
    // …and averaging really happened (a plain reading differs from the averaged one).
    expect(a.some((p, i) => p.some((v, j) => Math.abs(v - plain[i]![j]!) > 1e-4))).toBe(true);
  });

  it("with ten-crop, averages the centre and four corner views and their mirrors", async () => {
    const crops = fixtureCrops().slice(0, 4);
    const ten = await model.classify(crops, { flip: true, tenCrop: true });
    const tenMirrored = await model.classify(crops.map(mirrored), { flip: true, tenCrop: true });
    const two = await model.classify(crops, { flip: true });
    ten.forEach((p, i) => {
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      p.forEach((v, j) => expect(v).toBeCloseTo(tenMirrored[i]![j]!, 5));
    });
    expect(ten.some((p, i) => p.some((v, j) => Math.abs(v - two[i]![j]!) > 1e-4))).toBe(true);
    // The top-left view is the centre view of the face moved 2 px down and right.
    const face = crops[0]!;
    const moved = new Uint8Array(side * side);
    for (let y = 0; y < side; y++)
      for (let x = 0; x < side; x++)
        moved[y * side + x] = face.data[Math.max(0, y - 2) * side + Math.max(0, x - 2)]!;
    const viaShift = await model.logits(Float32Array.from(moved), 1);
    const corner = new Float32Array(side * side);
    for (let y = 0; y < 44; y++)
      for (let x = 0; x < 44; x++) corner[(y + 2) * side + x + 2] = face.data[y * side + x]!;
    const viaCorner = await model.logits(corner, 1);
    viaShift.forEach((v, j) => expect(v).toBeCloseTo(viaCorner[j]!, 4));
  });

  it("takes the agent's 64 px crops and RGB crops (resized and greyed like the training faces)", async () => {
    const grey64: FaceCrop = { width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64) };
    grey64.data.forEach((_, i) => (grey64.data[i] = (i * 37) % 251));
    const rgb: FaceCrop = { width: 50, height: 60, channels: 3, data: new Uint8Array(50 * 60 * 3).fill(90) };
    const [p, q] = await model.classify([grey64, rgb], { flip: true });
    for (const probs of [p!, q!]) {
      expect(probs.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
      expect(probs.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe("loading an ONNX expression model", () => {
  it("names a missing file", async () => {
    await expect(loadOnnxExpressionModel("/nonexistent/model.onnx")).rejects.toThrow(InferenceConfigError);
    await expect(loadOnnxExpressionModel("/nonexistent/model.onnx")).rejects.toThrow(
      /nonexistent\/model\.onnx/,
    );
  });

  it("refuses a file that is not an ONNX model", async () => {
    const file = path.join(os.tmpdir(), `not-a-model-${process.pid}.onnx`);
    await writeFile(file, "this is not a protobuf");
    await expect(loadOnnxExpressionModel(file)).rejects.toThrow(/not a usable ONNX model/);
  });

  it("is the analyzer's default; the tfjs ensemble stays available", async () => {
    const a = createFaceAnalyzer({ landmarks: false }, { logger: quiet });
    await a.load();
    expect(a.expressionModel).toBe(`onnx:${DEFAULT_ONNX_MODEL}`);
    expect(a.backendNotes.join(" ")).toMatch(/onnxruntime-node/);
    await a.dispose();
    const b = createFaceAnalyzer({ landmarks: false, expression: { model: "ensemble" } }, { logger: quiet });
    await b.load();
    expect(b.expressionModel).toBe("tfjs:human+face-api");
    await b.dispose();
  });

  it("reports a configured model file that is missing instead of falling back silently", async () => {
    const a = createFaceAnalyzer(
      { landmarks: false, models: { expressionOnnx: "/nonexistent/fer.onnx" } },
      { logger: quiet },
    );
    await expect(a.load()).rejects.toThrow(InferenceConfigError);
  });
});
