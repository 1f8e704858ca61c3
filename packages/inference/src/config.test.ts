import { describe, expect, it } from "vitest";
import { DEFAULT_ANALYZER_CONFIG, resolveConfig } from "./config.ts";
import { InferenceConfigError } from "./errors.ts";

describe("resolveConfig", () => {
  it("returns the documented defaults for no input, as a copy", () => {
    const config = resolveConfig();
    expect(config).toEqual(DEFAULT_ANALYZER_CONFIG);
    config.detector.tiny.inputSize = 320;
    expect(DEFAULT_ANALYZER_CONFIG.detector.tiny.inputSize).toBe(800);
  });

  it("deep-merges a partial config and replaces arrays whole", () => {
    const config = resolveConfig({ detector: { tiny: { inputSize: 608 } }, backends: ["cpu"] });
    expect(config.detector.tiny).toEqual({ inputSize: 608, scoreThreshold: 0.4, nmsIou: 0.4 });
    expect(config.detector.kind).toBe("blazeface");
    expect(config.backends).toEqual(["cpu"]);
  });

  it("names every invalid field", () => {
    const bad = () =>
      resolveConfig({
        detector: { tiny: { inputSize: 500 } },
        expression: { humanWeight: 2 },
        backends: ["gpu" as "cpu"],
      });
    expect(bad).toThrow(InferenceConfigError);
    expect(bad).toThrow(/detector\.tiny\.inputSize/);
    expect(bad).toThrow(/expression\.humanWeight/);
    expect(bad).toThrow(/backends\.0/);
  });

  it("rejects unknown keys (typos do not pass silently)", () => {
    expect(() => resolveConfig({ quality: { minFaceSise: 10 } } as never)).toThrow(/minFaceSise/);
  });
});
