import { describe, expect, it } from "vitest";
import { clusterTopics, type TopicInput } from "./topics.ts";

const doc = (id: string, keywords: string[], text = keywords.join(" ")): TopicInput => ({
  id,
  keywords,
  text,
});

describe("clusterTopics", () => {
  const docs = [
    doc("1", ["salty", "crisp"], "Way too salty crisps"),
    doc("2", ["salty"], "Salty."),
    doc("3", ["salty", "salt", "crisp"], "Too much salt, salty crisps"),
    doc("4", ["price", "expensive"], "Too expensive for the price"),
    doc("5", ["expensive", "price"], "price is too expensive"),
    doc("6", ["expensive"], "expensive"),
    doc("7", ["packaging"], "The packaging tears"),
    doc("8", [], "!!!"),
  ];

  it("groups answers around their most frequent lemmas, absorbing co-occurring ones", () => {
    const r = clusterTopics(docs);
    expect(r.total).toBe(8);
    expect(r.topics.map((t) => t.label)).toEqual(["expensive / price", "salty / crisp"]);
    expect(r.topics[0]).toMatchObject({ count: 3, share: 3 / 8 });
    expect(r.topics[1]).toMatchObject({ count: 3, keywords: ["salty", "crisp"] });
    // "packaging" (1 answer) and the keyword-less answer stay unclustered.
    expect(r.unclustered).toBe(2);
  });

  it("picks examples mentioning most of the topic's words, then the shortest", () => {
    const r = clusterTopics(docs);
    expect(r.topics[1]!.examples.map((e) => e.id)).toEqual(["1", "3", "2"]);
    expect(clusterTopics(docs, { examples: 1 }).topics[0]!.examples).toHaveLength(1);
  });

  it("clips long examples on a character boundary", () => {
    const long = "🥔".repeat(400);
    const r = clusterTopics([doc("a", ["potato"], long), doc("b", ["potato"], "potato")], {
      exampleChars: 10,
    });
    const ex = r.topics[0]!.examples.find((e) => e.id === "a")!;
    expect([...ex.text]).toHaveLength(10);
    expect(ex.text.endsWith("…")).toBe(true);
  });

  it("respects maxTopics and minAnswers; one answer is not a topic by default", () => {
    expect(clusterTopics(docs, { maxTopics: 1 }).topics).toHaveLength(1);
    expect(clusterTopics(docs, { minAnswers: 1 }).topics.map((t) => t.label)).toContain("packaging");
    expect(clusterTopics([doc("x", ["lonely"])]).topics).toEqual([]);
    expect(clusterTopics([])).toEqual({ topics: [], unclustered: 0, total: 0 });
  });

  it("absorbs a lemma used mostly with the seed, not one used mostly elsewhere", () => {
    const r = clusterTopics([
      doc("1", ["bag", "torn"]),
      doc("2", ["bag", "torn"]),
      doc("3", ["bag", "torn"]),
      doc("4", ["bag", "salty"]),
      doc("5", ["bag"]),
      doc("6", ["bag"]),
      doc("7", ["salty"]),
      doc("8", ["salty"]),
      doc("9", ["salty"]),
    ]);
    // "bag" (6 answers) seeds; "torn" is always with it → absorbed; "salty" is with it in 1 of 4 → its own topic.
    expect(r.topics.map((t) => t.keywords)).toEqual([["bag", "torn"], ["salty"]]);
    expect(r.topics.map((t) => t.count)).toEqual([6, 3]);
    const half = clusterTopics([
      doc("1", ["bag", "salty"]),
      doc("2", ["bag", "salty"]),
      doc("3", ["salty"]),
      doc("4", ["salty"]),
      doc("5", ["bag"]),
      doc("6", ["bag"]),
      doc("7", ["bag"]),
    ]);
    // Exactly half of "salty"'s uses are with the seed "bag": absorbed.
    expect(half.topics[0]!.keywords).toEqual(["bag", "salty"]);
  });

  it("is deterministic regardless of ties", () => {
    const tie = [doc("1", ["b"]), doc("2", ["b"]), doc("3", ["a"]), doc("4", ["a"])];
    expect(clusterTopics(tie).topics.map((t) => t.label)).toEqual(["a", "b"]);
    expect(clusterTopics([...tie].reverse()).topics.map((t) => t.label)).toEqual(["a", "b"]);
  });
});
