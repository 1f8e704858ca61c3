import { z } from "zod";

/**
 * The consent screen's text. Its `version` is stored with every Consent row and every response, so we can
 * always tell which words a shopper agreed to. Change the wording → change the version (a form posted
 * under an older version is refused and the shopper sees the new text).
 */
export interface ConsentText {
  version: string;
  /** `{item}` is replaced by the product's name. */
  title: string;
  /** Paragraphs; `{item}` and `{questions}` ("one short question" / "3 short questions") are replaced. */
  body: readonly string[];
  accept: string;
  decline: string;
}

export const CONSENT_TEXT: ConsentText = {
  version: "consent-2026-11-v1",
  title: "Can we ask you about {item}?",
  body: [
    "We are trying to understand why some shoppers pass this product by. Your answers help the store fix it.",
    "It is {questions} and takes about 30 seconds.",
    "Nothing identifies you. We do not ask for or keep your name, contact details, face, IP address or any device identifier. Your answers are stored only with the product they are about.",
    "Nothing is saved unless you agree now and press “Send” at the end. If you say no, we only note that this invitation was declined. This link works once.",
  ],
  accept: "Yes, I’ll answer",
  decline: "No, thanks",
};

/** The shopper's choice on the consent screen, as posted. */
export const ZConsentDecision = z.enum(["yes", "no"]);
export type ConsentDecision = z.infer<typeof ZConsentDecision>;

/** Refused when a form was answered under a consent text the server no longer shows. */
export class ConsentVersionError extends Error {
  constructor(readonly given: string) {
    super("consent text version is not current");
    this.name = "ConsentVersionError";
  }
}

/** Throws {@link ConsentVersionError} unless `given` is the current consent version. */
export function assertCurrentConsent(given: unknown, current: ConsentText = CONSENT_TEXT): string {
  if (given !== current.version)
    throw new ConsentVersionError(typeof given === "string" ? given.slice(0, 64) : "");
  return current.version;
}

/** Fills `{item}` and `{questions}` in consent text. */
export function renderConsent(
  text: ConsentText,
  vars: { item: string; questions: number },
): { title: string; body: string[] } {
  const count = vars.questions === 1 ? "one short question" : `${vars.questions} short questions`;
  // One pass with a function replacer: a product name containing "$&" or "{questions}" stays literal.
  const fill = (s: string) =>
    s.replace(/\{(item|questions)\}/g, (_, k) => (k === "item" ? vars.item : count));
  return { title: fill(text.title), body: text.body.map(fill) };
}
