import { describe, expect, it } from "vitest";
import { EXPRESSIONS, ZExpressionProbs, type Expression } from "./expressions.ts";
import { aggregateInteraction, interactionId, type InteractionKey } from "./interactions.ts";
import { ZClassifiedSample } from "./queues.ts";

/** A probability vector with `p` on `main` and the rest spread evenly. */
function probs(main: Expression, p: number, extra: Partial<Record<Expression, number>> = {}): number[] {
  const fixed = { [main]: p, ...extra } as Partial<Record<Expression, number>>;
  const rest = 1 - Object.values(fixed).reduce((a, b) => a + b, 0);
  const free = EXPRESSIONS.filter((e) => !(e in fixed));
  return EXPRESSIONS.map((e) => fixed[e] ?? rest / free.length);
}

const T0 = 1_760_000_000_000;
const sample = (dt: number, p: number[]) => ({ capturedAt: T0 + dt, probs: p });

describe("aggregateInteraction", () => {
  it("averages probabilities and derives dominant and valence from the mean", () => {
    const summary = aggregateInteraction(
      [sample(0, probs("happy", 0.9)), sample(500, probs("neutral", 0.9)), sample(1000, probs("happy", 0.6))],
      { startedAt: T0, endedAt: T0 + 1200 },
    )!;
    expect(summary.dwellMs).toBe(1200);
    expect(summary.sampleCount).toBe(3);
    expect(summary.meanProbs).toHaveLength(7);
    expect(summary.meanProbs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const happy = EXPRESSIONS.indexOf("happy");
    expect(summary.meanProbs[happy]).toBeCloseTo((0.9 + 0.1 / 6 + 0.6) / 3, 12);
    expect(summary.dominant).toBe("happy");
    // Valence of the mean vector, by the weights in expressions.ts.
    expect(summary.valence).toBeGreaterThan(30);
    expect(summary.negative).toBe(false);
    expect(ZExpressionProbs.safeParse([...summary.meanProbs]).success).toBe(true);
  });

  it("renormalises sample vectors that sum to 1 only approximately", () => {
    const loose = probs("sad", 0.5).map((p) => p * 1.0009);
    const summary = aggregateInteraction([sample(0, loose)], { startedAt: T0, endedAt: T0 })!;
    expect(summary.meanProbs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(summary.dominant).toBe("sad");
  });

  it("marks dominant disgust or anger as negative, and other expressions not", () => {
    const of = (e: Expression) =>
      aggregateInteraction([sample(0, probs(e, 0.8))], { startedAt: T0, endedAt: T0 + 1000 })!.negative;
    expect(of("disgust")).toBe(true);
    expect(of("angry")).toBe(true);
    expect(of("sad")).toBe(false);
    expect(of("fear")).toBe(false);
    expect(of("neutral")).toBe(false);
    const custom = aggregateInteraction(
      [sample(0, probs("sad", 0.8))],
      { startedAt: T0, endedAt: T0 + 1000 },
      { negativeSet: ["sad"] },
    )!;
    expect(custom.negative).toBe(true);
  });

  describe("hesitation", () => {
    const neutralLook = [
      sample(0, probs("neutral", 0.8)),
      sample(2000, probs("neutral", 0.7)),
      sample(4000, probs("sad", 0.4)),
    ];

    it("is a long dwell with no positive sample", () => {
      expect(aggregateInteraction(neutralLook, { startedAt: T0, endedAt: T0 + 4000 })!.hesitation).toBe(true);
      expect(aggregateInteraction(neutralLook, { startedAt: T0, endedAt: T0 + 3999 })!.hesitation).toBe(
        false,
      );
    });

    it("is broken by one clearly happy sample even if the mean is not happy", () => {
      const withSmile = [...neutralLook, sample(3000, probs("neutral", 0.6, { happy: 0.3 }))];
      const summary = aggregateInteraction(withSmile, { startedAt: T0, endedAt: T0 + 6000 })!;
      expect(summary.dominant).toBe("neutral");
      expect(summary.hesitation).toBe(false);
      const faintSmile = [...neutralLook, sample(3000, probs("neutral", 0.6, { happy: 0.29 }))];
      expect(aggregateInteraction(faintSmile, { startedAt: T0, endedAt: T0 + 6000 })!.hesitation).toBe(true);
    });

    it("honours the dwell and probability options", () => {
      const window = { startedAt: T0, endedAt: T0 + 2000 };
      expect(aggregateInteraction(neutralLook, window)!.hesitation).toBe(false);
      expect(aggregateInteraction(neutralLook, window, { hesitationDwellMs: 2000 })!.hesitation).toBe(true);
      const smile = [sample(0, probs("neutral", 0.5, { happy: 0.2 }))];
      const long = { startedAt: T0, endedAt: T0 + 9000 };
      expect(aggregateInteraction(smile, long)!.hesitation).toBe(true);
      expect(aggregateInteraction(smile, long, { positiveProb: 0.15 })!.hesitation).toBe(false);
    });

    it("counts as negative only when asked to", () => {
      const window = { startedAt: T0, endedAt: T0 + 8000 };
      expect(aggregateInteraction(neutralLook, window)!.negative).toBe(false);
      expect(aggregateInteraction(neutralLook, window, { includeHesitation: true })!.negative).toBe(true);
    });
  });

  it("returns null without samples", () => {
    expect(aggregateInteraction([], { startedAt: T0, endedAt: T0 + 5000 })).toBeNull();
  });

  it("accepts samples validated by the queue contract", () => {
    const parsed = ZClassifiedSample.parse({ capturedAt: T0, probs: probs("angry", 0.7) });
    expect(aggregateInteraction([parsed], { startedAt: T0, endedAt: T0 })!.dominant).toBe("angry");
  });

  it("rejects inverted windows, malformed samples and bad options", () => {
    const ok = [sample(0, probs("neutral", 0.9))];
    expect(() => aggregateInteraction(ok, { startedAt: T0 + 1, endedAt: T0 })).toThrow(RangeError);
    expect(() => aggregateInteraction([sample(0, [0.5, 0.5])], { startedAt: T0, endedAt: T0 })).toThrow(
      RangeError,
    );
    expect(() =>
      aggregateInteraction([sample(0, [1, 0, 0, 0, 0, 0, Number.NaN])], { startedAt: T0, endedAt: T0 }),
    ).toThrow(RangeError);
    expect(() =>
      aggregateInteraction([sample(0, [0, 0, 0, 0, 0, 0, 0])], { startedAt: T0, endedAt: T0 }),
    ).toThrow(RangeError);
    expect(() => aggregateInteraction(ok, { startedAt: T0, endedAt: T0 }, { positiveProb: 2 })).toThrow(
      RangeError,
    );
    expect(() => aggregateInteraction(ok, { startedAt: T0, endedAt: T0 }, { hesitationDwellMs: -1 })).toThrow(
      RangeError,
    );
  });
});

describe("interactionId", () => {
  const key: InteractionKey = {
    storeId: "store-1",
    cameraId: "cam-7",
    trackKey: "run-3f2a:12:1",
    zoneId: "zone-4",
    startedAt: T0,
  };

  it("is deterministic, so a retried job writes the same row", () => {
    expect(interactionId(key)).toBe(interactionId({ ...key }));
    expect(interactionId(key)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("changes with every field", () => {
    const base = interactionId(key);
    for (const changed of [
      { storeId: "store-2" },
      { cameraId: "cam-8" },
      { trackKey: "run-3f2a:12:2" },
      { zoneId: "zone-5" },
      { startedAt: T0 + 1 },
    ])
      expect(interactionId({ ...key, ...changed })).not.toBe(base);
  });

  it("cannot be fooled by moving characters between fields", () => {
    const a = interactionId({ ...key, storeId: "ab", cameraId: "c" });
    const b = interactionId({ ...key, storeId: "a", cameraId: "bc" });
    const c = interactionId({ ...key, storeId: "a|1:b", cameraId: "c" });
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("rejects empty fields and non-integer times", () => {
    expect(() => interactionId({ ...key, trackKey: "" })).toThrow(RangeError);
    expect(() => interactionId({ ...key, startedAt: 1.5 })).toThrow(RangeError);
  });
});
