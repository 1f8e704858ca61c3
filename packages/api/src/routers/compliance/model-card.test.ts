import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { EXPRESSION_MODEL, percent } from "./model-card.ts";

const models = fileURLToPath(new URL("../../../../inference/models/", import.meta.url));
const card = readFileSync(`${models}fer-vgg-s.md`, "utf8");
const meta = JSON.parse(readFileSync(`${models}fer-vgg-s.json`, "utf8")) as {
  name: string;
  labels: string[];
  publicTest: { flip: { accuracy: number; macroF1: number; accuracyWithoutDuplicates: number } };
};

describe("the model facts the compliance pack quotes", () => {
  it("are the model card's default (centre + mirror) runtime figures", () => {
    const row = card.split("\n").find((l) => l.includes("centre + mirror (default)"));
    expect(row).toBeDefined();
    const cells = row!.split("|").map((c) => c.replaceAll("*", "").trim());
    expect(cells[2]).toBe(`${(EXPRESSION_MODEL.accuracy * 100).toFixed(2)} %`);
    expect(cells[3]).toBe(EXPRESSION_MODEL.macroF1.toFixed(3));
    expect(cells[4]).toBe(`${(EXPRESSION_MODEL.accuracyUnseen * 100).toFixed(2)} %`);
    expect(card).toContain(`PublicTest (${EXPRESSION_MODEL.benchmarkFaces.toLocaleString("en")})`);
  });

  it("quote every per-class recall of the card", () => {
    const prose = card.replace(/\s+/g, " ");
    for (const [label, recall] of Object.entries(EXPRESSION_MODEL.recall))
      expect(prose).toContain(`${label} ${(recall * 100).toFixed(1)} %`);
  });

  it("agree with the model's metadata (PyTorch figures, within 0.1 points of the runtime's)", () => {
    expect(meta.name).toBe(EXPRESSION_MODEL.name);
    expect(meta.labels).toEqual(EXPRESSION_MODEL.classes);
    expect(Math.abs(meta.publicTest.flip.accuracy - EXPRESSION_MODEL.accuracy)).toBeLessThan(0.001);
    expect(
      Math.abs(meta.publicTest.flip.accuracyWithoutDuplicates - EXPRESSION_MODEL.accuracyUnseen),
    ).toBeLessThan(0.001);
  });

  it("print shares as percentages with one decimal", () => {
    expect(percent(EXPRESSION_MODEL.accuracy)).toBe("69.9 %");
    expect(percent(0.5)).toBe("50.0 %");
  });
});
