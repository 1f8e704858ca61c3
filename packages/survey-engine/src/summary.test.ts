import { describe, expect, it } from "vitest";
import { DEFAULT_QUESTIONS } from "./questions.ts";
import { summarizeItemResponses, type ResponseRecord } from "./summary.ts";

function response(
  id: string,
  rating: number | null,
  answers: Record<string, unknown>,
  freeText: string | null = null,
  sentiment: number | null = null,
  topics: string[] = [],
): ResponseRecord {
  return { id, answers, rating, freeText, sentiment, topics };
}

describe("summarizeItemResponses", () => {
  it("counts responses, rating distribution and mean, options, sentiment and topics", () => {
    const s = summarizeItemResponses({
      questions: DEFAULT_QUESTIONS,
      declined: 4,
      responses: [
        response("a", 1, { overall: 1, reason: ["price", "taste"] }, "Too expensive", -0.4, ["expensive"]),
        response("b", 2, { overall: 2, reason: ["price"] }, "Far too expensive!", -0.5, ["expensive"]),
        response("c", 2, { overall: 2 }, "ok I guess", 0.02, ["guess"]),
        response("d", 5, { overall: 5, reason: ["packaging"] }, null, null),
        response("e", null, {}, "   ", null),
      ],
    });
    expect(s.responses).toBe(5);
    expect(s.declined).toBe(4);
    expect(s.rating).toEqual({ scale: 5, distribution: [1, 2, 0, 0, 1], n: 4, mean: 2.5 });
    const reason = s.choices.find((c) => c.questionId === "reason")!;
    expect(reason.n).toBe(3);
    expect(Object.fromEntries(reason.options.map((o) => [o.id, o.count]))).toMatchObject({
      price: 2,
      taste: 1,
      packaging: 1,
      quality: 0,
    });
    expect(s.sentiment).toEqual({
      n: 3,
      mean: (-0.4 - 0.5 + 0.02) / 3,
      positive: 0,
      neutral: 1,
      negative: 2,
    });
    expect(s.topics).toHaveLength(1);
    expect(s.topics[0]).toMatchObject({ label: "expensive", count: 2 });
    expect(s.topics[0]!.examples.map((e) => e.text)).toEqual(["Too expensive", "Far too expensive!"]);
    expect(s.unclustered).toBe(1);
  });

  it("is empty but well-formed with no responses", () => {
    const s = summarizeItemResponses({ questions: DEFAULT_QUESTIONS, declined: 0, responses: [] });
    expect(s).toMatchObject({
      responses: 0,
      rating: { scale: 5, distribution: [0, 0, 0, 0, 0], n: 0, mean: null },
      sentiment: { n: 0, mean: null },
      topics: [],
      unclustered: 0,
    });
  });

  it("reads answers from older templates leniently and never trusts their shape", () => {
    const s = summarizeItemResponses({
      questions: DEFAULT_QUESTIONS,
      declined: 0,
      responses: [
        response("a", 7, { reason: "price" }),
        response("b", 3, "not an object" as unknown as Record<string, unknown>),
        response("c", 3, { reason: ["gold", 42, "price", "price"] }),
        response("d", 0, {}),
      ],
    });
    // A 7 from an older 7-point template widens the distribution rather than vanishing.
    expect(s.rating.scale).toBe(7);
    expect(s.rating.distribution).toEqual([0, 0, 2, 0, 0, 0, 1]);
    expect(s.choices[0]!.options.find((o) => o.id === "price")!.count).toBe(2);
    expect(s.choices[0]!.n).toBe(2);
  });
});
