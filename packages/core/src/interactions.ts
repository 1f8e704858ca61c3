import {
  dominantExpression,
  EXPRESSIONS,
  valenceOf,
  type Expression,
  type ExpressionProbs,
} from "./expressions.ts";
import { hashUuid } from "./hash.ts";
import { DEFAULT_NEGATIVE_SET, isNegativeInteraction } from "./negative.ts";

/** Default least dwell for hesitation, ms. */
export const DEFAULT_HESITATION_DWELL_MS = 4000;
/** Default happy probability from which a sample counts as positive. */
export const DEFAULT_POSITIVE_PROB = 0.3;

const HAPPY = EXPRESSIONS.indexOf("happy");

/** One classified face crop of the track at the zone (see `ZClassifiedSample`). */
export interface InteractionSample {
  /** Capture time, ms since epoch. */
  readonly capturedAt: number;
  /** Probabilities in `EXPRESSIONS` order. */
  readonly probs: readonly number[];
}

/** Options of {@link aggregateInteraction}. */
export interface AggregateInteractionOptions {
  /** Least dwell for hesitation, ms. Default {@link DEFAULT_HESITATION_DWELL_MS} (4000). */
  readonly hesitationDwellMs?: number;
  /** A sample with p(happy) at or above this is positive, 0…1. Default {@link DEFAULT_POSITIVE_PROB} (0.3). */
  readonly positiveProb?: number;
  /** Dominant expressions that make an interaction negative. Default `DEFAULT_NEGATIVE_SET` (disgust, angry). */
  readonly negativeSet?: ReadonlySet<Expression> | readonly Expression[];
  /** Whether hesitation alone makes an interaction negative. Default false. */
  readonly includeHesitation?: boolean;
}

/** One track's visit to one zone, summarised: what an `Interaction` row stores (no pixels, no track id). */
export interface InteractionSummary {
  /** endedAt − startedAt, ms. */
  readonly dwellMs: number;
  readonly sampleCount: number;
  /** Mean of the samples' probabilities, `EXPRESSIONS` order, renormalised to sum to 1. */
  readonly meanProbs: ExpressionProbs;
  /** Class with the highest mean probability. */
  readonly dominant: Expression;
  /** Valence of the mean probabilities, −100…100 (see `valenceOf`). */
  readonly valence: number;
  readonly hesitation: boolean;
  readonly negative: boolean;
}

/**
 * Summarises the classified samples of one track at one zone.
 *
 * - `meanProbs` is the plain mean over samples (each crop weighs the same; the agent samples crops
 *   at a steady rate, so this is close to a time average), renormalised to sum to exactly 1.
 * - `hesitation`: the shopper lingered (dwell ≥ `hesitationDwellMs`) and **no single sample** showed
 *   a positive expression (every sample has p(happy) < `positiveProb`). "Positive" means happy only:
 *   surprise is as often unpleasant as pleasant. A lingering look without a smile is the classic
 *   sign of a shopper weighing a product and putting it back.
 * - `negative`: the store's rule, `isNegativeInteraction` in `negative.ts`.
 *
 * @param window - first and last time the track was seen at the zone, ms since epoch.
 * @returns null when there are no samples: without a face there is nothing to say.
 * @throws RangeError when `endedAt < startedAt`, an option is out of range, or a sample is not 7 finite probabilities.
 */
export function aggregateInteraction(
  samples: readonly InteractionSample[],
  window: { readonly startedAt: number; readonly endedAt: number },
  options: AggregateInteractionOptions = {},
): InteractionSummary | null {
  const hesitationDwellMs = options.hesitationDwellMs ?? DEFAULT_HESITATION_DWELL_MS;
  const positiveProb = options.positiveProb ?? DEFAULT_POSITIVE_PROB;
  if (
    !Number.isFinite(window.startedAt) ||
    !Number.isFinite(window.endedAt) ||
    window.endedAt < window.startedAt
  )
    throw new RangeError(
      `interaction window must have endedAt ≥ startedAt, got ${window.startedAt}…${window.endedAt}`,
    );
  if (!(hesitationDwellMs >= 0)) throw new RangeError("hesitationDwellMs must be ≥ 0");
  if (!(positiveProb >= 0 && positiveProb <= 1)) throw new RangeError("positiveProb must be in 0…1");
  if (samples.length === 0) return null;

  const sums = new Array<number>(EXPRESSIONS.length).fill(0);
  let anyPositive = false;
  samples.forEach((sample, s) => {
    const { probs } = sample;
    if (probs.length !== EXPRESSIONS.length || !probs.every((p) => Number.isFinite(p) && p >= 0))
      throw new RangeError(`sample ${s} must hold ${EXPRESSIONS.length} finite, non-negative probabilities`);
    for (let i = 0; i < probs.length; i++) sums[i] = sums[i]! + probs[i]!;
    if (probs[HAPPY]! >= positiveProb) anyPositive = true;
  });
  const total = sums.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RangeError("samples carry no probability mass");
  const meanProbs = sums.map((v) => v / total) as unknown as ExpressionProbs;

  const dwellMs = window.endedAt - window.startedAt;
  const dominant = dominantExpression(meanProbs);
  const hesitation = dwellMs >= hesitationDwellMs && !anyPositive;
  return {
    dwellMs,
    sampleCount: samples.length,
    meanProbs,
    dominant,
    valence: valenceOf(meanProbs),
    hesitation,
    negative: isNegativeInteraction(
      { dominant, hesitation },
      {
        negative: new Set(options.negativeSet ?? DEFAULT_NEGATIVE_SET),
        includeHesitation: options.includeHesitation ?? false,
      },
    ),
  };
}

/** The inputs that identify one interaction. */
export interface InteractionKey {
  readonly storeId: string;
  readonly cameraId: string;
  /** Ephemeral key of the track's visit to the zone (`ZTrackContext.trackKey`). */
  readonly trackKey: string;
  readonly zoneId: string;
  /** First time the track was seen at the zone, ms since epoch. */
  readonly startedAt: number;
}

/**
 * Deterministic id of an interaction (a UUID-formatted 128-bit FNV-1a hash), so that a retried or
 * duplicated job writes the same row instead of a second one (upsert / insert-or-ignore on the id).
 *
 * Fields are length-prefixed before hashing so that no two different keys produce the same input
 * string (`"ab" + "c"` vs `"a" + "bc"`).
 *
 * The trackKey is used only here, as hash input, and is never stored: it names one visit of one
 * ephemeral, appearance-free track within one agent run, so it could not link a shopper across
 * visits even if it were kept, and it must not outlive the track so that no row, log or cache could
 * ever join two interactions into a person's history. The id is not a secret either (the hash is not
 * cryptographic): it identifies a row, not a person.
 *
 * @throws RangeError for empty strings or a `startedAt` that is not a safe integer.
 */
export function interactionId(key: InteractionKey): string {
  const { storeId, cameraId, trackKey, zoneId, startedAt } = key;
  for (const [name, value] of Object.entries({ storeId, cameraId, trackKey, zoneId }))
    if (value.length === 0) throw new RangeError(`interactionId: ${name} must not be empty`);
  if (!Number.isSafeInteger(startedAt))
    throw new RangeError(`interactionId: startedAt must be an integer ms, got ${startedAt}`);
  const fields = [storeId, cameraId, trackKey, zoneId, String(startedAt)];
  return hashUuid(`shelf-interaction/v1|${fields.map((f) => `${f.length}:${f}`).join("|")}`);
}
