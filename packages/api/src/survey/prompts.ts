import type { Redis } from "ioredis";
import type { Db } from "@shelf/db";
import {
  parsePendingPrompt,
  pendingPromptKey,
  promptDeliveredKey,
  PROMPT_VALID_MS,
  type LiveEvent,
  type SurveyPromptEvent,
} from "@shelf/survey-engine";
import { INVITE_TTL_MS } from "./config.ts";
import { createInvite, isSurveyActive } from "./invites.ts";

/**
 * Kiosk prompt DELIVERY. Prompts are decided in one place, the worker's survey trigger engine
 * (`apps/worker/src/processors/surveys.ts`): it claims the cooldowns, leaves the prompt waiting for its kiosk
 * (`pendingPromptKey`, {@link PROMPT_VALID_MS}) and publishes it on the store's live channel. A kiosk stream
 * only delivers: a published prompt for its kiosk at once ({@link handleKioskEvent}), a waiting one when it
 * (re)connects ({@link deliverWaitingPrompt}). Delivering mints the single-use kiosk invite — so the token
 * exists only in the stream's answer — after claiming the prompt (`promptDeliveredKey`, SET NX): of the live
 * event and a reconnect, in any number of processes, exactly one mints.
 */

export interface KioskRef {
  id: string;
  storeId: string;
  zoneId: string | null;
}

/** What the kiosk page receives for a prompt (SSE `prompt` event). */
export interface KioskPromptPayload {
  promptId: string;
  itemName: string;
  /** Relative link to the survey (carries the single-use token). */
  href: string;
  /** ms since epoch. */
  expiresAt: number;
}

export interface PromptDeps {
  db: Db;
  redis: Redis;
  secret: string;
  prefix: string;
  now?: () => number;
}

/**
 * Mints the kiosk invite for a prompt addressed to this kiosk, once per prompt across every stream and
 * process; null when it is not this kiosk's, already delivered, or the survey is no longer active.
 */
export async function mintKioskPrompt(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: SurveyPromptEvent,
): Promise<KioskPromptPayload | null> {
  if (event.kioskId !== kiosk.id || event.storeId !== kiosk.storeId) return null;
  const now = (deps.now ?? Date.now)();
  const claimed = await deps.redis.set(
    promptDeliveredKey(event.promptId, deps.prefix),
    String(now),
    "PX",
    PROMPT_VALID_MS * 2,
    "NX",
  );
  if (claimed !== "OK") return null;
  // Delivered: a reconnecting stream must not find it waiting.
  const waiting = parsePendingPrompt(await deps.redis.get(pendingPromptKey(kiosk.id, deps.prefix)));
  if (waiting?.event.promptId === event.promptId)
    await deps.redis.del(pendingPromptKey(kiosk.id, deps.prefix));
  if (!(await isSurveyActive(deps.db, kiosk.storeId, event.itemId))) return null;
  const item = await deps.db.item.findUnique({ where: { id: event.itemId }, select: { name: true } });
  if (!item) return null;
  const invite = await createInvite({
    db: deps.db,
    secret: deps.secret,
    storeId: kiosk.storeId,
    itemId: event.itemId,
    channel: "kiosk",
    kioskId: kiosk.id,
    ttlMs: INVITE_TTL_MS.kiosk,
    now: new Date(now),
  });
  return {
    promptId: event.promptId,
    itemName: item.name,
    href: `/s/${invite.token}`,
    expiresAt: invite.expiresAt.getTime(),
  };
}

/** The prompt waiting for this kiosk (decided while no stream of it was open), delivered now; else null. */
export async function deliverWaitingPrompt(
  deps: PromptDeps,
  kiosk: KioskRef,
): Promise<KioskPromptPayload | null> {
  const waiting = parsePendingPrompt(await deps.redis.get(pendingPromptKey(kiosk.id, deps.prefix)));
  if (!waiting || waiting.expiresAt <= (deps.now ?? Date.now)()) return null;
  return mintKioskPrompt(deps, kiosk, waiting.event);
}

/** One live event as seen by one kiosk stream: the prompt to show, or null. Only prompts concern a kiosk. */
export async function handleKioskEvent(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: LiveEvent,
): Promise<KioskPromptPayload | null> {
  return event.kind === "survey-prompt" ? mintKioskPrompt(deps, kiosk, event) : null;
}
