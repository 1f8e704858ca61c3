/**
 * Topic clustering of one item's free-text answers, pure and deterministic.
 *
 * Input: each answer's keyword lemmas (from the text analyzer: content words, lemmatised, so "salty",
 * "saltier" and "salt" in "too much salt" collapse as far as the lemmatiser allows). Method, "seed and
 * absorb" over lemma co-occurrence — chosen because a merchandiser can check it by hand, it needs no
 * number of clusters up front, and one item rarely has more than a few hundred answers:
 *
 * 1. Count in how many answers each lemma occurs (document frequency).
 * 2. Take the most frequent lemma still unused as a topic's seed (needs ≥ `minAnswers` answers); the topic's
 *    answers are the unassigned answers containing the seed.
 * 3. The topic absorbs every other lemma that is mostly used together with the seed: at least half of the
 *    unassigned answers using it are in the topic, and at least `minAnswers` of them. These become the
 *    topic's label words ("packaging / open / hard") and are not used as seeds again.
 * 4. Remove the topic's answers and repeat until `maxTopics` topics or no seed is left.
 *
 * Each topic keeps up to `examples` answers, preferring those that mention most of its words, then shorter
 * ones. Answers without keywords, or in no topic, are counted as `unclustered`.
 */

export interface TopicInput {
  id: string;
  keywords: readonly string[];
  /** The answer itself (for examples). */
  text: string;
}

export interface Topic {
  /** Label words joined by " / " (seed first). */
  label: string;
  /** Seed first, then absorbed lemmas by co-occurrence with the seed. */
  keywords: string[];
  /** Answers in the topic. */
  count: number;
  /** count / answers with free text, 0–1. */
  share: number;
  examples: { id: string; text: string }[];
}

export interface TopicOptions {
  /** Default 5. */
  maxTopics?: number;
  /** Answers a topic needs (default 2: one answer is an anecdote, not a topic). */
  minAnswers?: number;
  /** Example answers per topic (default 3). */
  examples?: number;
  /** Label words per topic (default 3). */
  labelWords?: number;
  /** Examples are cut to this many characters with "…" (default 280). */
  exampleChars?: number;
}

export interface TopicClusters {
  topics: Topic[];
  /** Answers with free text in no topic. */
  unclustered: number;
  /** Answers with free text considered. */
  total: number;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Clusters answers into topics (see the module comment for the method). */
export function clusterTopics(docs: readonly TopicInput[], options: TopicOptions = {}): TopicClusters {
  const maxTopics = options.maxTopics ?? 5;
  const minAnswers = Math.max(1, options.minAnswers ?? 2);
  const nExamples = options.examples ?? 3;
  const labelWords = options.labelWords ?? 3;
  const exampleChars = options.exampleChars ?? 280;
  const total = docs.length;
  const sets = docs.map((d) => new Set(d.keywords));
  const unassigned = new Set(docs.map((_, i) => i).filter((i) => sets[i]!.size > 0));
  const used = new Set<string>();
  const topics: Topic[] = [];

  const docsWith = (lemma: string, among: Iterable<number>) => [...among].filter((i) => sets[i]!.has(lemma));

  while (topics.length < maxTopics && unassigned.size > 0) {
    const df = new Map<string, number>();
    for (const i of unassigned) for (const k of sets[i]!) if (!used.has(k)) df.set(k, (df.get(k) ?? 0) + 1);
    const seeds = [...df.entries()]
      .filter(([, n]) => n >= minAnswers)
      .sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
    const seed = seeds[0]?.[0];
    if (seed === undefined) break;
    const members = docsWith(seed, unassigned);
    const memberSet = new Set(members);
    const absorbed: { lemma: string; together: number }[] = [];
    for (const [lemma] of seeds.slice(1)) {
      const users = docsWith(lemma, unassigned);
      const together = users.filter((i) => memberSet.has(i)).length;
      if (together >= minAnswers && together * 2 >= users.length) absorbed.push({ lemma, together });
    }
    absorbed.sort((a, b) => b.together - a.together || cmp(a.lemma, b.lemma));
    const keywords = [seed, ...absorbed.map((a) => a.lemma)];
    for (const k of keywords) used.add(k);
    for (const i of members) unassigned.delete(i);
    const mentions = (i: number) => keywords.filter((k) => sets[i]!.has(k)).length;
    const examples = [...members]
      .sort(
        (a, b) =>
          mentions(b) - mentions(a) ||
          docs[a]!.text.length - docs[b]!.text.length ||
          cmp(docs[a]!.id, docs[b]!.id),
      )
      .slice(0, nExamples)
      .map((i) => ({ id: docs[i]!.id, text: clip(docs[i]!.text, exampleChars) }));
    topics.push({
      label: keywords.slice(0, labelWords).join(" / "),
      keywords,
      count: members.length,
      share: total === 0 ? 0 : members.length / total,
      examples,
    });
  }
  const clustered = topics.reduce((a, t) => a + t.count, 0);
  return { topics, unclustered: total - clustered, total };
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}
