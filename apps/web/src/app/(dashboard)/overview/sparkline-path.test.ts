import { describe, expect, it } from "vitest";
import { sparkGeometry } from "./sparkline-path.ts";

describe("sparkGeometry", () => {
  const box = { width: 64, height: 20, pad: 2 };

  it("draws a run left to right, 0 at the bottom and the largest value at the top", () => {
    expect(sparkGeometry([0, 0.5, 0.25], box)).toEqual({ path: "M2 18 L32 2 L62 10", dots: [] });
  });

  it("breaks the line at a gap and shows a lone value as a dot", () => {
    const g = sparkGeometry([0.1, 0.2, null, 0.2, null, 0.1, 0.2], { ...box, max: 0.2 });
    expect(g.path).toBe("M2 10 L12 2 M52 10 L62 2");
    expect(g.dots).toEqual([{ x: 32, y: 2 }]);
  });

  it("draws nothing for an empty or all-hidden series, and keeps a flat low series low", () => {
    expect(sparkGeometry([], box)).toEqual({ path: "", dots: [] });
    expect(sparkGeometry([null, null], box)).toEqual({ path: "", dots: [] });
    expect(sparkGeometry([0.01, 0.01], box).path).toBe("M2 14.8 L62 14.8");
    expect(sparkGeometry([0.3], box)).toEqual({ path: "", dots: [{ x: 32, y: 2 }] });
  });
});
