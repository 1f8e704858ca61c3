import { seededRandom } from "@shelf/core";
import { subSeed } from "./model.ts";

/**
 * What consenting shoppers answer in the demo: composed by the seeded PRNG from phrase parts, so answers
 * vary like real ones while the reason stays the same. The rejected product's answers mostly name the new
 * sweetener's aftertaste (the reason the topic summary should find), some also the price; other products get
 * a few ordinary answers.
 */

/** One generated answer set (before the text analysis the product runs on free text). */
export interface DemoAnswer {
  rating: number;
  /** Option ids of the "what puts you off" question. */
  reasons: string[];
  /** Free text, or null when the shopper left it empty. */
  text: string | null;
}

const pickOf = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const REJECTED_OPENERS = [
  "Since the new recipe",
  "The new version is a letdown:",
  "Used to buy it every week, but now",
  "Tried it again and",
  "Sorry, but",
  "",
];
const REJECTED_COMPLAINTS = [
  "the sweetener leaves a bitter aftertaste",
  "it has a chemical aftertaste from the sweetener",
  "the aftertaste is horrible, tastes like the sweetener",
  "there is a strange aftertaste that stays for ages",
  "it tastes artificial and the aftertaste is awful",
  "the new sweetener ruins it, bitter aftertaste",
];
const REJECTED_EXTRAS = [
  "Please bring back the old recipe.",
  "Too expensive for what it is now.",
  "I went back to the regular lemonade.",
  "My kids won't drink it anymore.",
  "",
  "",
];

const ORDINARY = [
  { rating: 5, reasons: [], text: "Great taste, I buy it every week." },
  { rating: 4, reasons: ["price"], text: "Good quality but a bit expensive." },
  { rating: 4, reasons: [], text: "Nice, would like a bigger pack size." },
  { rating: 3, reasons: ["packaging"], text: "Fine, but the packaging is hard to open." },
  { rating: 5, reasons: [], text: null },
  { rating: 4, reasons: [], text: "Easy to find now, good choice." },
] as const;

/** `count` answers about the rejected product (deterministic for a seed and a label). */
export function rejectedAnswers(seed: number, label: string, count: number): DemoAnswer[] {
  const rand = seededRandom(subSeed(seed, `survey:${label}`));
  return Array.from({ length: count }, () => {
    const extra = pickOf(rand, REJECTED_EXTRAS);
    const text =
      rand() < 0.12
        ? null
        : [pickOf(rand, REJECTED_OPENERS), `${pickOf(rand, REJECTED_COMPLAINTS)}.`, extra]
            .filter(Boolean)
            .join(" ");
    const reasons = ["taste", ...(extra.includes("expensive") || rand() < 0.2 ? ["price"] : [])];
    return {
      rating: rand() < 0.7 ? 1 : 2,
      reasons,
      text: text && text[0]!.toUpperCase() + text.slice(1),
    };
  });
}

/** `count` ordinary answers about any other product. */
export function ordinaryAnswers(seed: number, label: string, count: number): DemoAnswer[] {
  const rand = seededRandom(subSeed(seed, `survey:${label}`));
  return Array.from({ length: count }, () => {
    const a = pickOf(rand, ORDINARY);
    return { rating: a.rating, reasons: [...a.reasons], text: a.text };
  });
}
