import winkNLP, { type ItsFunction, type PartOfSpeech } from "wink-nlp";
import model from "wink-eng-lite-web-model";

/**
 * Understanding free-text answers with wink-nlp (maintained, MIT, pure JS, English "lite" model):
 * sentiment from the library's own scorer, and keywords as lemmas of content words, which
 * `clusterTopics` groups into topics. Import this module only where text is analysed (it loads the model,
 * ~1 MB): it is the package's `./text` export, not part of the root export.
 */

export interface TextAnalysis {
  /** −1 (negative) … 1 (positive), from wink-nlp's sentiment scorer. 0 for empty text. */
  sentiment: number;
  /** Distinct keyword lemmas, in order of first appearance, at most `maxKeywords`. */
  keywords: string[];
}

export interface TextAnalyzer {
  analyze(text: string): TextAnalysis;
}

export interface TextAnalyzerOptions {
  /** Keywords kept per text (default 8). */
  maxKeywords?: number;
  /** Characters analysed per text; the rest is ignored (default 5000). */
  maxChars?: number;
}

/** Parts of speech that carry what a shopper talks about (the "what"; polarity is the sentiment's job). */
const CONTENT_POS: ReadonlySet<PartOfSpeech> = new Set(["NOUN", "PROPN", "ADJ", "VERB"]);

/**
 * Lemmas that are content words grammatically but say nothing about a product in a survey about a product.
 * Not a sentiment lexicon (sentiment comes from wink-nlp); only keeps topics from being "product" or "buy".
 */
const GENERIC_LEMMAS: ReadonlySet<string> = new Set([
  "product",
  "item",
  "thing",
  "stuff",
  "lot",
  "bit",
  "way",
  "time",
  "get",
  "make",
  "go",
  "buy",
  "want",
  "think",
  "know",
  "use",
  "try",
  "say",
  "shop",
  "store",
]);

/**
 * Creates an analyzer. Loading the model takes ~100 ms: create one per process and reuse it (there is no
 * hidden module-level instance). Synchronous and CPU-only; a 500-character answer takes well under 1 ms.
 */
export function createTextAnalyzer(options: TextAnalyzerOptions = {}): TextAnalyzer {
  const maxKeywords = options.maxKeywords ?? 8;
  const maxChars = options.maxChars ?? 5000;
  const nlp = winkNLP(model);
  const its = nlp.its;
  return {
    analyze(text: string): TextAnalysis {
      const input = text.slice(0, maxChars);
      if (input.trim() === "") return { sentiment: 0, keywords: [] };
      const doc = nlp.readDoc(input);
      const raw = doc.out(its.sentiment) as unknown as number;
      const sentiment = Number.isFinite(raw) ? Math.max(-1, Math.min(1, raw)) : 0;
      const tokens = doc.tokens();
      const types = tokens.out(its.type) as string[];
      const pos = tokens.out(its.pos) as PartOfSpeech[];
      const stop = tokens.out(its.stopWordFlag) as unknown as boolean[];
      // The typings of `its.lemma` (it takes the model's addons) do not match `out`'s parameter; it works.
      const lemmas = tokens.out(its.lemma as unknown as ItsFunction<string>) as string[];
      const keywords: string[] = [];
      for (let i = 0; i < lemmas.length && keywords.length < maxKeywords; i++) {
        const lemma = (lemmas[i] ?? "").toLowerCase();
        if (types[i] !== "word" || stop[i] || !CONTENT_POS.has(pos[i]!)) continue;
        if (lemma.length < 3 || !/^\p{L}[\p{L}'-]*$/u.test(lemma) || GENERIC_LEMMAS.has(lemma)) continue;
        if (!keywords.includes(lemma)) keywords.push(lemma);
      }
      return { sentiment, keywords };
    },
  };
}
