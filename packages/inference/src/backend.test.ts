import { afterEach, describe, expect, it, vi } from "vitest";
import { createFaceAnalyzer, type FaceAnalyzer } from "./analyzer.ts";
import { InferenceConfigError } from "./errors.ts";

/**
 * Backend failover. tfjs-node is not installable on this machine, so the "tensorflow" backend exercises
 * the real missing-module path. The tfjs engine is process-wide, which is why these live in their own file.
 */
describe("backend failover", () => {
  let analyzer: FaceAnalyzer | undefined;
  afterEach(async () => {
    await analyzer?.dispose();
    analyzer = undefined;
  });

  it("falls through a missing tfjs-node to the next backend and warns loudly about cpu", async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    analyzer = createFaceAnalyzer(
      {
        backends: ["tensorflow", "cpu"],
        landmarks: false,
        detector: { kind: "tiny" },
        expression: { flip: false },
      },
      { logger },
    );
    await analyzer.load();
    expect(analyzer.backend).toBe("cpu");
    expect(analyzer.backendNotes[0]).toMatch(/tfjs-node (not installed|failed to load)/);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/cpu backend.*slower/));
    // It works, slowly.
    const crop = {
      width: 48,
      height: 48,
      channels: 1 as const,
      data: Uint8Array.from({ length: 48 * 48 }, (_, i) => (i * 37) % 256),
    };
    const [result] = await analyzer.classify([crop]);
    expect(result?.status).toBe("ok");
  });

  it("falls back to cpu when the wasm binaries are missing", async () => {
    const logger = { info: vi.fn(), warn: vi.fn() };
    analyzer = createFaceAnalyzer(
      { backends: ["wasm", "cpu"], detector: { kind: "tiny" }, models: { wasmDir: "/nonexistent/wasm/" } },
      { logger },
    );
    await analyzer.load();
    expect(analyzer.backend).toBe("cpu");
    expect(analyzer.backendNotes.join("; ")).toMatch(/wasm: .*not found/);
  });

  it("fails with a clear error when no allowed backend starts", async () => {
    const a = createFaceAnalyzer(
      { backends: ["tensorflow"], detector: { kind: "tiny" } },
      { logger: { info: vi.fn(), warn: vi.fn() } },
    );
    await expect(a.load()).rejects.toThrow(InferenceConfigError);
    await expect(a.load()).rejects.toThrow(/no tfjs backend could start: tensorflow: @tensorflow\/tfjs-node/);
  });

  it("fails with a clear error when a model file is missing, and can retry", async () => {
    const a = createFaceAnalyzer(
      { backends: ["wasm"], models: { humanDir: "/nonexistent/models" }, expression: { model: "ensemble" } },
      { logger: { info: vi.fn(), warn: vi.fn() } },
    );
    await expect(a.load()).rejects.toThrow(/cannot read model file \/nonexistent\/models\/emotion\.json/);
    await expect(a.load()).rejects.toThrow(InferenceConfigError);
    expect(a.backend).toBe("none");
  });
});
