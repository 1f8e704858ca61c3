import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { Db } from "@shelf/db";
import {
  CLAIM_COOLDOWNS_LUA,
  cooldownKeys,
  cooldownsFromSettings,
  decideKioskPrompt,
  encodeLiveEvent,
  liveChannel,
  type InteractionEvent,
  type KioskPromptSkip,
  type LiveEvent,
  type SurveyPromptEvent,
} from "@shelf/survey-engine";
import { INVITE_TTL_MS } from "./config.ts";
import { createInvite, isSurveyActive } from "./invites.ts";

/**
 * Kiosk prompts, the I/O around the pure `decideKioskPrompt`: each open kiosk stream feeds the live events
 * of its store through {@link handleKioskEvent}. A negative interaction at the kiosk's zone is decided on
 * (flag from Postgres, last prompts from Redis), both cooldowns are claimed atomically in Redis (so two
 * streams or processes never prompt twice), and a `survey-prompt` event is published on the store's live
 * channel — where every stream of that kiosk (and the live view) receives it. A stream receiving a prompt
 * for its kiosk mints a single-use kiosk invite and hands the browser its link.
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

export type ConsiderResult =
  | { prompted: true; event: SurveyPromptEvent }
  | { prompted: false; reason: KioskPromptSkip | "other-zone" | "claimed-elsewhere" };

/** Decides on one interaction for one kiosk; on a prompt, claims the cooldowns and publishes it. */
export async function considerInteraction(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: InteractionEvent,
): Promise<ConsiderResult> {
  // Cheap filters first: most events are not negative or not at this kiosk's zone, and need no I/O.
  if (!event.negative) return { prompted: false, reason: "not-negative" };
  if (!event.itemId) return { prompted: false, reason: "no-item" };
  if (event.storeId !== kiosk.storeId || event.zoneId !== kiosk.zoneId)
    return { prompted: false, reason: "other-zone" };
  const now = (deps.now ?? Date.now)();
  const [active, settings] = await Promise.all([
    isSurveyActive(deps.db, kiosk.storeId, event.itemId),
    deps.db.storeSettings.findUnique({ where: { storeId: kiosk.storeId } }),
  ]);
  const cooldowns = cooldownsFromSettings(settings);
  const keys = cooldownKeys({ storeId: kiosk.storeId, kioskId: kiosk.id, itemId: event.itemId }, deps.prefix);
  const [kioskLast, itemLast] = await deps.redis.mget(keys.kiosk, keys.item);
  const decision = decideKioskPrompt({
    event,
    kiosks: [{ id: kiosk.id, zoneId: kiosk.zoneId }],
    activeItemIds: new Set(active ? [event.itemId] : []),
    lastPromptAt: {
      kiosk: kioskLast ? { [kiosk.id]: Number(kioskLast) } : {},
      item: itemLast ? { [event.itemId]: Number(itemLast) } : {},
    },
    cooldowns,
    now,
  });
  if (!decision.prompt) return { prompted: false, reason: decision.reason };
  const claimed = await deps.redis.eval(
    CLAIM_COOLDOWNS_LUA,
    2,
    keys.kiosk,
    keys.item,
    String(now),
    String(cooldowns.kioskMs),
    String(cooldowns.itemMs),
  );
  if (claimed !== 1) return { prompted: false, reason: "claimed-elsewhere" };
  const prompt: SurveyPromptEvent = {
    kind: "survey-prompt",
    storeId: kiosk.storeId,
    kioskId: decision.kioskId,
    zoneId: decision.zoneId,
    itemId: decision.itemId,
    promptId: randomUUID(),
    at: now,
    reason: "negative-interaction",
  };
  await deps.redis.publish(liveChannel(kiosk.storeId, deps.prefix), encodeLiveEvent(prompt));
  return { prompted: true, event: prompt };
}

/** Mints the kiosk invite for a prompt addressed to this kiosk; null when the survey is no longer active. */
export async function mintKioskPrompt(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: SurveyPromptEvent,
): Promise<KioskPromptPayload | null> {
  if (event.kioskId !== kiosk.id || event.storeId !== kiosk.storeId) return null;
  if (!(await isSurveyActive(deps.db, kiosk.storeId, event.itemId))) return null;
  const item = await deps.db.item.findUnique({ where: { id: event.itemId }, select: { name: true } });
  if (!item) return null;
  const now = (deps.now ?? Date.now)();
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

/**
 * One live event as seen by one kiosk stream: returns the prompt to show, or null. Interactions may lead
 * to a published prompt (which comes back through the channel as a `survey-prompt`).
 */
export async function handleKioskEvent(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: LiveEvent,
): Promise<KioskPromptPayload | null> {
  if (event.kind === "interaction") {
    await considerInteraction(deps, kiosk, event);
    return null;
  }
  if (event.kind === "survey-prompt") return mintKioskPrompt(deps, kiosk, event);
  return null;
}
