import { z } from "zod";
import { ZExpression } from "./expressions.ts";
import { DEFAULT_QUEUE_PREFIX } from "./redis-prefix.ts";

/**
 * Live events: the one definition shared by the publisher (the worker: interactions, flags, survey prompts,
 * zone distributions) and subscribers (kiosk streams, the live view). Transport is Redis pub/sub on one channel per store
 * ({@link liveChannel}); a message is the JSON of one {@link LiveEvent}. Pub/sub is fire-and-forget: a
 * subscriber that is not connected misses the event, which is what a *live* feed wants (nothing here is a
 * record of truth — Postgres is).
 *
 * No event carries pixels, free text, invite tokens or anything that identifies a shopper.
 */

const id = z.string().min(1).max(64);
/** ms since epoch. */
const epochMs = z.number().int().positive();

/**
 * Window of the worker's "right now" per-zone distribution (`zone-distribution` events), ms: the faces
 * classified in the last 10 s.
 */
export const LIVE_DISTRIBUTION_WINDOW_MS = 10_000;

/**
 * Window of the live view's per-zone reading, ms: interactions that ended in the last 15 minutes (shown with a
 * delay and k-anonymity, see the live view in `@shelf/api`).
 */
export const LIVE_VIEW_WINDOW_MS = 15 * 60_000;

/** One finalised interaction (one anonymous track at one zone), as the worker wrote it. */
export const ZInteractionEvent = z
  .object({
    kind: z.literal("interaction"),
    storeId: id,
    zoneId: id,
    /** null when the zone has no planogram slot at the shopper's point. */
    itemId: id.nullable(),
    /** The Interaction row's id (deterministic hash; lets subscribers de-duplicate). */
    interactionId: id,
    /** When the visit ended, ms since epoch. */
    at: epochMs,
    dominant: ZExpression,
    /** −100…100. */
    valence: z.number().min(-100).max(100),
    /** Counted as a rejection under the store's rules (negative expression set / hesitation). */
    negative: z.boolean(),
    /** ms. */
    dwellMs: z.number().int().nonnegative(),
  })
  .strict();
export type InteractionEvent = z.infer<typeof ZInteractionEvent>;

/**
 * Builds the `interaction` event from what the worker has when it writes an interaction row (its
 * InteractionRecord: id, track context, times in ms since epoch). The worker publishes it and hands it to the
 * survey trigger engine. Validates; throws a ZodError if invalid.
 */
export function interactionEvent(r: {
  id: string;
  context: { storeId: string; zoneId: string; itemId: string | null };
  /** ms since epoch. */
  endedAt: number;
  dwellMs: number;
  dominant: InteractionEvent["dominant"];
  valence: number;
  negative: boolean;
}): InteractionEvent {
  return ZInteractionEvent.parse({
    kind: "interaction",
    storeId: r.context.storeId,
    zoneId: r.context.zoneId,
    itemId: r.context.itemId,
    interactionId: r.id,
    at: Math.round(r.endedAt),
    dominant: r.dominant,
    valence: Math.max(-100, Math.min(100, r.valence)),
    negative: r.negative,
    dwellMs: Math.max(0, Math.round(r.dwellMs)),
  });
}

/** An item's flag was raised or cleared. A raised flag activates the item's survey; a cleared one ends it. */
export const ZFlagEvent = z
  .object({
    kind: z.literal("flag"),
    storeId: id,
    itemId: id,
    flagId: id,
    state: z.enum(["raised", "cleared"]),
    /** ms since epoch. */
    at: epochMs,
    /** Wilson lower bound of the rejection rate and the threshold it crossed, 0–1. */
    lower: z.number().min(0).max(1),
    threshold: z.number().min(0).max(1),
  })
  .strict();
export type FlagEvent = z.infer<typeof ZFlagEvent>;

/**
 * A kiosk should invite the shopper in front of it to a survey. Decided and published by the worker's survey
 * trigger engine only after it claimed the cooldowns (`decideKioskPrompt`, `CLAIM_COOLDOWNS_LUA` in
 * `@shelf/survey-engine`). Carries no token: the kiosk's stream mints a single-use invite when it delivers the
 * prompt, so no token ever crosses pub/sub or Redis.
 */
export const ZSurveyPromptEvent = z
  .object({
    kind: z.literal("survey-prompt"),
    storeId: id,
    kioskId: id,
    zoneId: id,
    itemId: id,
    /** Unique per prompt (lets several tabs of one kiosk and the live view de-duplicate). */
    promptId: z.string().min(8).max(64),
    /** ms since epoch. */
    at: epochMs,
    /** Why the prompt was raised. */
    reason: z.enum(["negative-interaction", "manual"]),
  })
  .strict();
export type SurveyPromptEvent = z.infer<typeof ZSurveyPromptEvent>;

/** How many shoppers are at each zone right now (for the live view's heat layer). */
export const ZZoneDistributionEvent = z
  .object({
    kind: z.literal("zone-distribution"),
    storeId: id,
    /** ms since epoch. */
    at: epochMs,
    zones: z
      .array(
        z
          .object({
            zoneId: id,
            /** Open tracks in the zone at `at`. */
            shoppers: z.number().int().nonnegative(),
            /** Of those, how many currently read as negative (dominant expression so far). */
            negative: z.number().int().nonnegative(),
            /**
             * Dominant expressions of the zone's classified faces in the window, counts in EXPRESSIONS order
             * (angry, disgust, fear, happy, sad, surprise, neutral): the live expression distribution.
             */
            expressions: z.array(z.number().int().nonnegative()).length(7).optional(),
          })
          .strict(),
      )
      .max(1000),
  })
  .strict();
export type ZoneDistributionEvent = z.infer<typeof ZZoneDistributionEvent>;

/** Every live event, discriminated by `kind`. */
export const ZLiveEvent = z.discriminatedUnion("kind", [
  ZInteractionEvent,
  ZFlagEvent,
  ZSurveyPromptEvent,
  ZZoneDistributionEvent,
]);
export type LiveEvent = z.infer<typeof ZLiveEvent>;
export type LiveEventKind = LiveEvent["kind"];

const ZPrefix = z.string().regex(/^[a-z0-9_-]+$/i);

/**
 * The Redis pub/sub channel of a store's live events: `<prefix>:live:<storeId>`.
 * @param prefix the deployment's Redis prefix (`QUEUE_PREFIX`, default `shelf`); tests pass a random one.
 */
export function liveChannel(storeId: string, prefix: string = DEFAULT_QUEUE_PREFIX): string {
  return `${ZPrefix.parse(prefix)}:live:${id.parse(storeId)}`;
}

/** Pattern matching every store's live channel (for PSUBSCRIBE by a cross-store live view). */
export function liveChannelPattern(prefix: string = DEFAULT_QUEUE_PREFIX): string {
  return `${ZPrefix.parse(prefix)}:live:*`;
}

/** Validates and serialises an event for `PUBLISH` (throws a ZodError on an invalid event). */
export function encodeLiveEvent(event: LiveEvent): string {
  return JSON.stringify(ZLiveEvent.parse(event));
}

/**
 * Parses one pub/sub message. Returns null (never throws) for a message that is not valid JSON or not a
 * valid event, so one bad publisher cannot break a subscriber; callers should log the null case.
 */
export function parseLiveEvent(message: string): LiveEvent | null {
  if (message.length > 256 * 1024) return null;
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return null;
  }
  const parsed = ZLiveEvent.safeParse(json);
  return parsed.success ? parsed.data : null;
}
