import { expect, it, vi } from "vitest";
import { createFaceAnalyzer } from "./analyzer.ts";
import { cropFace } from "./frame.ts";

// A machine where onnxruntime-node's native binding does not load (as when its shared library is missing).
vi.mock("onnxruntime-node", () => {
  throw new Error("libonnxruntime.so.1: cannot open shared object file");
});

it("falls back to the tfjs detector and ensemble, with warnings and notes, when onnxruntime-node cannot load", async () => {
  const warn = vi.fn();
  const a = createFaceAnalyzer({ landmarks: false }, { logger: { info: vi.fn(), warn } });
  await a.load();
  expect(a.expressionModel).toBe("tfjs:human+face-api");
  expect(a.detector).toBe("tfjs:tiny-800");
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/falling back to the tfjs tiny face detector/));
  expect(warn).toHaveBeenCalledWith(expect.stringMatching(/onnxruntime-node is not usable.*falling back/s));
  expect(a.backendNotes.join(" ")).toMatch(/onnxruntime-node unavailable/);
  const frame = { width: 64, height: 64, channels: 3 as const, data: new Uint8Array(64 * 64 * 3) };
  frame.data.forEach((_, i) => (frame.data[i] = (i * 7) % 256));
  const [r] = await a.classify([cropFace(frame, { x: 8, y: 8, w: 48, h: 48 })]);
  expect(r!.status).toBe("ok");
  await a.dispose();
});
