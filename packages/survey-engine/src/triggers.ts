import { z } from "zod";
import {
  DEFAULT_QUEUE_PREFIX,
  ZSurveyPromptEvent,
  type InteractionEvent,
  type PromptCooldowns,
} from "@shelf/core";

/**
 * Survey trigger rules (AERAS's "negative feedback → survey"), pure: every input (flags, kiosks, last prompt
 * times, clock) is passed in. They run in ONE place, the worker's survey trigger engine
 * (`apps/worker/src/processors/surveys.ts`), once per new interaction; kiosk streams only deliver what it
 * published. Times are ms since epoch, durations ms. A store's cooldowns come from its rules
 * (`StoreRules.surveyCooldowns` in `@shelf/core`).
 */

export { DEFAULT_PROMPT_COOLDOWNS, type PromptCooldowns } from "@shelf/core";

/** An interaction older than this (ms) no longer prompts: the shopper has most likely walked on. */
export const DEFAULT_MAX_EVENT_AGE_MS = 60_000;

/**
 * How long a decided prompt waits for its kiosk, ms: a kiosk whose stream (re)connects within this time still
 * shows it; after it the shopper has most likely walked on. Equal to {@link DEFAULT_MAX_EVENT_AGE_MS}.
 */
export const PROMPT_VALID_MS = DEFAULT_MAX_EVENT_AGE_MS;

/**
 * Whether an interaction can lead to a prompt at all (negative, at an item): the first two rules of
 * {@link decideKioskPrompt}, without I/O, so the worker hands only these to the trigger engine.
 */
export function mayPrompt(event: Pick<InteractionEvent, "negative" | "itemId">): boolean {
  return event.negative && event.itemId !== null;
}

/** A kiosk that could show a prompt. `zoneId` null: the kiosk serves no zone and is never prompted. */
export interface KioskRef {
  id: string;
  zoneId: string | null;
}

/** An open flag (clearedAt null) activates the item's survey in that store. */
export interface FlagRef {
  storeId: string;
  itemId: string;
  clearedAt: Date | number | null;
}

/**
 * Whether an item's survey runs in a store — the one rule, used by the worker's trigger engine, the kiosk
 * stream and the QR pages: an operator's start/stop (`SurveyRun`) wins; without one the survey follows the
 * flag (runs while the item has an open flag). The facts come from `surveyActivity` in `@shelf/db`.
 */
export function surveyIsActive(facts: { run: { running: boolean } | null; flagOpen: boolean }): boolean {
  return facts.run ? facts.run.running : facts.flagOpen;
}

/** Items whose survey follows an open flag in a store (no operator start/stop): those with an open flag. */
export function activeSurveyItems(storeId: string, flags: readonly FlagRef[]): Set<string> {
  return new Set(flags.filter((f) => f.storeId === storeId && f.clearedAt === null).map((f) => f.itemId));
}

export interface KioskPromptInput {
  /** The interaction that just ended (only `negative`, `storeId`, `zoneId`, `itemId` and `at` are read). */
  event: Pick<InteractionEvent, "storeId" | "zoneId" | "itemId" | "negative" | "at">;
  /** Kiosks of the event's store that can show a prompt now (e.g. those with an open stream). */
  kiosks: readonly KioskRef[];
  /** Items of the store with an active survey (see {@link activeSurveyItems}). */
  activeItemIds: ReadonlySet<string>;
  /** Last prompt per kiosk id and per item id, ms since epoch; absent = never. */
  lastPromptAt: {
    kiosk: Readonly<Record<string, number>>;
    item: Readonly<Record<string, number>>;
  };
  cooldowns: PromptCooldowns;
  /** ms since epoch. */
  now: number;
  /** Events older than this are ignored, ms (default {@link DEFAULT_MAX_EVENT_AGE_MS}). */
  maxEventAgeMs?: number;
}

export type KioskPromptSkip =
  "not-negative" | "no-item" | "stale" | "not-flagged" | "no-kiosk" | "item-cooldown" | "kiosk-cooldown";

export type KioskPromptDecision =
  | {
      prompt: true;
      kioskId: string;
      itemId: string;
      zoneId: string;
      /** When the claimed cooldowns end, ms since epoch. */
      kioskCooldownUntil: number;
      itemCooldownUntil: number;
    }
  | {
      prompt: false;
      reason: KioskPromptSkip;
      /** For cooldown skips: the earliest time (ms since epoch) a prompt could happen. */
      retryAt?: number;
    };

/**
 * Should a negative interaction make a kiosk invite the shopper to a survey?
 *
 * Prompts when, in this order: the interaction counted as negative; it was at an item; it is recent
 * (`now − at ≤ maxEventAgeMs`); the item's survey is active (open flag); a kiosk serves the event's zone;
 * the item is out of its cooldown; and at least one of those kiosks is out of its cooldown. Among several
 * eligible kiosks it picks the least recently prompted (ties: smallest id), so prompts rotate.
 *
 * A positive decision is a proposal: the caller must then claim both cooldowns atomically (Redis
 * `CLAIM_COOLDOWNS_LUA`), because two processes may decide on the same event at once.
 */
export function decideKioskPrompt(input: KioskPromptInput): KioskPromptDecision {
  const { event, now, cooldowns } = input;
  const maxAge = input.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS;
  if (!event.negative) return { prompt: false, reason: "not-negative" };
  if (!event.itemId) return { prompt: false, reason: "no-item" };
  if (now - event.at > maxAge) return { prompt: false, reason: "stale" };
  if (!input.activeItemIds.has(event.itemId)) return { prompt: false, reason: "not-flagged" };
  const serving = input.kiosks.filter((k) => k.zoneId !== null && k.zoneId === event.zoneId);
  if (serving.length === 0) return { prompt: false, reason: "no-kiosk" };
  const itemLast = input.lastPromptAt.item[event.itemId];
  if (itemLast !== undefined && now - itemLast < cooldowns.itemMs)
    return { prompt: false, reason: "item-cooldown", retryAt: itemLast + cooldowns.itemMs };
  const free = serving
    .map((k) => ({ id: k.id, last: input.lastPromptAt.kiosk[k.id] }))
    .filter((k) => k.last === undefined || now - k.last >= cooldowns.kioskMs)
    .sort(
      (a, b) => (a.last ?? -Infinity) - (b.last ?? -Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  const chosen = free[0];
  if (!chosen) {
    const retryAt = Math.min(
      ...serving.map((k) => (input.lastPromptAt.kiosk[k.id] ?? 0) + cooldowns.kioskMs),
    );
    return { prompt: false, reason: "kiosk-cooldown", retryAt };
  }
  return {
    prompt: true,
    kioskId: chosen.id,
    itemId: event.itemId,
    zoneId: event.zoneId,
    kioskCooldownUntil: now + cooldowns.kioskMs,
    itemCooldownUntil: now + cooldowns.itemMs,
  };
}

/**
 * Redis keys holding the last prompt time (ms since epoch, as a string) of a kiosk and of an item in a
 * store. Each key expires when its cooldown ends, so "key exists" ⇔ "in cooldown".
 */
export function cooldownKeys(
  ids: { storeId: string; kioskId: string; itemId: string },
  prefix: string = DEFAULT_QUEUE_PREFIX,
): { kiosk: string; item: string } {
  return {
    kiosk: `${prefix}:survey:cooldown:kiosk:${ids.kioskId}`,
    item: `${prefix}:survey:cooldown:item:${ids.storeId}:${ids.itemId}`,
  };
}

/**
 * Atomically claims both cooldowns of a prompt, or neither. KEYS: [kiosk key, item key] from
 * {@link cooldownKeys}; ARGV: [now ms, kiosk cooldown ms, item cooldown ms]. Returns 1 when claimed, 0 when
 * either key is still in cooldown (someone else prompted first). A zero cooldown claims without a key.
 */
export const CLAIM_COOLDOWNS_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3]) end
return 1
`;

/**
 * Redis key of the prompt a kiosk has waiting (the JSON of a {@link ZPendingPrompt}), written by the trigger
 * engine with a TTL of {@link PROMPT_VALID_MS}: a kiosk whose stream connects while it exists shows it.
 */
export function pendingPromptKey(kioskId: string, prefix: string = DEFAULT_QUEUE_PREFIX): string {
  return `${prefix}:survey:prompt:kiosk:${kioskId}`;
}

/**
 * Redis key that marks a prompt as delivered (`SET NX` with the prompt's remaining validity): of the live
 * event and a reconnecting stream's look at {@link pendingPromptKey}, in any number of processes, exactly one
 * mints the invite.
 */
export function promptDeliveredKey(promptId: string, prefix: string = DEFAULT_QUEUE_PREFIX): string {
  return `${prefix}:survey:prompt:delivered:${promptId}`;
}

/** A waiting prompt: the published event and when it stops being shown, ms since epoch. */
export const ZPendingPrompt = z
  .object({ event: ZSurveyPromptEvent, expiresAt: z.number().int().positive() })
  .strict();
export type PendingPrompt = z.infer<typeof ZPendingPrompt>;

/** Parses a stored pending prompt; null (never throws) for anything else. */
export function parsePendingPrompt(text: string | null): PendingPrompt | null {
  if (!text || text.length > 4096) return null;
  try {
    const parsed = ZPendingPrompt.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
