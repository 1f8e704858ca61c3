import { describe, expect, it } from "vitest";
import type { ItemSurveySummary } from "@shelf/survey-engine";
import { Cell } from "../../reports/cell.ts";
import { dailyRates, daysBetween, rankByLowerBound, rateChange, topReason } from "./ranking.ts";

const rules = { negative: new Set(["disgust", "angry"] as const), includeHesitation: false, k: 5 };
const cell = (happy: number, disgust: number) => {
  const c = new Cell();
  if (happy) c.add({ expression: "happy", count: happy, hesitationCount: 0, dwellMsSum: 0, valenceSum: 0 });
  if (disgust)
    c.add({ expression: "disgust", count: disgust, hesitationCount: 0, dwellMsSum: 0, valenceSum: 0 });
  return c;
};
const rate = (rate: number, lower: number, upper = 1) => ({ rate, lower, upper });

describe("rankByLowerBound", () => {
  it("puts the most certain rate first, not the highest rate", () => {
    const ranked = rankByLowerBound([
      { name: "few, all negative", n: 3, rejection: rate(1, 0.44) },
      { name: "many, half negative", n: 400, rejection: rate(0.5, 0.45) },
      { name: "hidden", n: 2, rejection: null },
      { name: "calm", n: 100, rejection: rate(0.02, 0.005) },
    ]);
    expect(ranked.map((r) => r.name)).toEqual(["many, half negative", "few, all negative", "calm"]);
  });

  it("breaks ties by interactions, then name", () => {
    const ranked = rankByLowerBound([
      { name: "b", n: 10, rejection: rate(0.3, 0.1) },
      { name: "a", n: 10, rejection: rate(0.3, 0.1) },
      { name: "c", n: 20, rejection: rate(0.3, 0.1) },
    ]);
    expect(ranked.map((r) => r.name)).toEqual(["c", "a", "b"]);
  });
});

describe("rateChange", () => {
  it("is the difference in rate and lower bound, or null when a period is hidden", () => {
    const c = rateChange(rate(0.3, 0.2), rate(0.1, 0.05))!;
    expect(c.rate).toBeCloseTo(0.2);
    expect(c.lower).toBeCloseTo(0.15);
    expect(rateChange(rate(0.3, 0.2), null)).toBeNull();
    expect(rateChange(null, rate(0.3, 0.2))).toBeNull();
  });
});

describe("dailyRates", () => {
  const days = ["2026-03-01", "2026-03-02", "2026-03-03"];

  it("gives each day's rate and a gap for a day without interactions", () => {
    const cells = new Map([
      ["2026-03-01", cell(8, 2)],
      ["2026-03-03", cell(5, 5)],
    ]);
    expect(dailyRates(days, cells, rules, 20)).toEqual([0.2, null, 0.5]);
  });

  it("hides a day under k, and the smallest other day when the hidden one could be read off the total", () => {
    const cells = new Map([
      ["2026-03-01", cell(10, 0)],
      ["2026-03-02", cell(0, 2)],
      ["2026-03-03", cell(6, 0)],
    ]);
    expect(dailyRates(days, cells, rules, 18)).toEqual([0, null, null]);
  });
});

const summary = (over: Partial<ItemSurveySummary>): ItemSurveySummary => ({
  responses: 10,
  declined: 0,
  rating: { scale: 5, distribution: [0, 0, 0, 0, 0], n: 0, mean: null },
  choices: [],
  sentiment: { n: 0, mean: null, positive: 0, neutral: 0, negative: 0 },
  topics: [],
  unclustered: 0,
  ...over,
});
const choice = (options: [string, number][]) => ({
  questionId: "reason",
  prompt: "What puts you off?",
  multiple: true,
  n: 10,
  options: options.map(([label, count]) => ({ id: label.toLowerCase(), label, count })),
});
const topic = (label: string, count: number) => ({
  label,
  keywords: [label],
  count,
  share: 0.5,
  examples: [],
});

describe("topReason", () => {
  it("takes the answer most responses gave, choice or topic", () => {
    expect(
      topReason(
        summary({
          choices: [
            choice([
              ["Price", 3],
              ["Taste", 6],
            ]),
          ],
        }),
        5,
      ),
    ).toEqual({
      label: "Taste",
      count: 6,
      responses: 10,
      source: "choice",
    });
    expect(
      topReason(summary({ choices: [choice([["Price", 3]])], topics: [topic("salt / salty", 4)] }), 5),
    ).toMatchObject({ label: "salt / salty", source: "topic" });
  });

  it("prefers the store's own wording on a tie", () => {
    expect(
      topReason(summary({ choices: [choice([["Price", 4]])], topics: [topic("expensive", 4)] }), 5),
    ).toMatchObject({ label: "Price", source: "choice" });
  });

  it("says nothing under k responses, or when nobody gave a reason", () => {
    expect(topReason(summary({ responses: 4, choices: [choice([["Price", 4]])] }), 5)).toBeNull();
    expect(topReason(summary({ choices: [choice([["Price", 0]])] }), 5)).toBeNull();
  });
});

describe("daysBetween", () => {
  it("lists calendar days inclusive, across a month end", () => {
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
  });
});
