import { randomUUID } from "node:crypto";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import {
  invalidJobReason,
  surveyTriggerJobId,
  ZSurveyTriggerJob,
  type InteractionEvent,
  type StoreRules,
  type SurveyPromptEvent,
} from "@shelf/core";
import { surveyActivity, type Db } from "@shelf/db";
import {
  CLAIM_COOLDOWNS_LUA,
  cooldownKeys,
  decideKioskPrompt,
  mayPrompt,
  pendingPromptKey,
  PROMPT_VALID_MS,
  surveyIsActive,
  type KioskPromptDecision,
  type KioskPromptSkip,
  type KioskRef,
  type PendingPrompt,
} from "@shelf/survey-engine";
import type { LivePublisher } from "../live.ts";
import { JobRejected } from "./rejected.ts";

/**
 * The survey trigger engine (AERAS's "negative feedback → survey"), the one place survey prompts are decided.
 * It runs on every new negative interaction at an item (`shelf-surveys` jobs, queued by the visits
 * processor): the pure `decideKioskPrompt` picks a kiosk serving the zone if the item has an active survey
 * (an open flag) and neither the item nor a kiosk is in its cooldown; both cooldowns are then claimed at once
 * in Redis (`CLAIM_COOLDOWNS_LUA`: of several workers deciding at once, exactly one prompts); the prompt is
 * left waiting for its kiosk for {@link PROMPT_VALID_MS} (`pendingPromptKey`) and published on the store's
 * live channel.
 *
 * Kiosk streams only deliver: an open stream shows the published prompt at once, a stream that connects
 * while the prompt waits shows it then, and either way the stream mints the single-use invite — so no invite
 * token ever exists in Redis or in a worker, and a prompt nobody showed leaves no invite behind. With no
 * kiosk open the prompt is still decided (and the cooldowns spent), exactly as with a kiosk whose shopper
 * walks away.
 */

export interface SurveyTriggerDeps {
  /** Whether the item's survey runs in the store (`surveyIsActive`: an operator's start/stop, else its flag). */
  surveyActive(storeId: string, itemId: string): Promise<boolean>;
  /** The store's kiosks that serve `zoneId` and can show a prompt (paired, not revoked). */
  kiosks(storeId: string, zoneId: string): Promise<KioskRef[]>;
  rules(storeId: string): Promise<Pick<StoreRules, "surveyCooldowns">>;
  redis: Pick<Redis, "mget" | "eval" | "set">;
  /** Redis prefix (`QUEUE_PREFIX`). */
  prefix: string;
  live: Pick<LivePublisher, "publish">;
  logger: Logger;
  /** ms since epoch; default Date.now. */
  now?: () => number;
  /** Prompt ids; default randomUUID. */
  newId?: () => string;
}

export type TriggerOutcome =
  | { prompted: true; event: SurveyPromptEvent }
  | { prompted: false; reason: KioskPromptSkip | "claimed-elsewhere" };

/** The `shelf-surveys` job: decides on one new interaction; on a prompt, claims, stores and publishes it. */
export async function processSurveyTrigger(deps: SurveyTriggerDeps, data: unknown): Promise<TriggerOutcome> {
  const parsed = ZSurveyTriggerJob.safeParse(data);
  if (!parsed.success) throw new JobRejected(invalidJobReason("survey trigger", parsed.error), "invalid");
  const event = parsed.data;
  const now = (deps.now ?? Date.now)();
  const base = { event, activeItemIds: new Set<string>(), kiosks: [], now };
  const noIo = { ...base, lastPromptAt: { kiosk: {}, item: {} }, cooldowns: { kioskMs: 0, itemMs: 0 } };
  // Positive interactions and visits at no item need no I/O (the visits processor sends none of them).
  if (!mayPrompt(event)) return refuse(decideKioskPrompt(noIo));
  const itemId = event.itemId!;
  const [active, kiosks, rules] = await Promise.all([
    deps.surveyActive(event.storeId, itemId),
    deps.kiosks(event.storeId, event.zoneId),
    deps.rules(event.storeId),
  ]);
  const keysOf = (kioskId: string) => cooldownKeys({ storeId: event.storeId, kioskId, itemId }, deps.prefix);
  const itemKey = keysOf("").item;
  const lastTimes = kiosks.length
    ? await deps.redis.mget(itemKey, ...kiosks.map((k) => keysOf(k.id).kiosk))
    : [];
  const kioskLast: Record<string, number> = {};
  kiosks.forEach((k, i) => {
    const t = lastTimes[i + 1];
    if (t) kioskLast[k.id] = Number(t);
  });
  const decision = decideKioskPrompt({
    event,
    kiosks,
    activeItemIds: new Set(active ? [itemId] : []),
    lastPromptAt: { kiosk: kioskLast, item: lastTimes[0] ? { [itemId]: Number(lastTimes[0]) } : {} },
    cooldowns: rules.surveyCooldowns,
    now,
  });
  if (!decision.prompt) return refuse(decision);
  const keys = keysOf(decision.kioskId);
  const claimed = await deps.redis.eval(
    CLAIM_COOLDOWNS_LUA,
    2,
    keys.kiosk,
    keys.item,
    String(now),
    String(rules.surveyCooldowns.kioskMs),
    String(rules.surveyCooldowns.itemMs),
  );
  if (claimed !== 1) return { prompted: false, reason: "claimed-elsewhere" };
  const prompt: SurveyPromptEvent = {
    kind: "survey-prompt",
    storeId: event.storeId,
    kioskId: decision.kioskId,
    zoneId: decision.zoneId,
    itemId: decision.itemId,
    promptId: (deps.newId ?? randomUUID)(),
    at: now,
    reason: "negative-interaction",
  };
  const pending: PendingPrompt = { event: prompt, expiresAt: now + PROMPT_VALID_MS };
  // Waiting first, then published: a stream that connects in between finds it waiting.
  await deps.redis.set(
    pendingPromptKey(prompt.kioskId, deps.prefix),
    JSON.stringify(pending),
    "PX",
    PROMPT_VALID_MS,
  );
  await deps.live.publish(prompt);
  deps.logger.info(
    { storeId: prompt.storeId, kioskId: prompt.kioskId, itemId: prompt.itemId, promptId: prompt.promptId },
    "survey prompt",
  );
  return { prompted: true, event: prompt };
}

function refuse(decision: KioskPromptDecision): TriggerOutcome {
  // Only reached for "no": without I/O there is no kiosk, so decideKioskPrompt cannot say yes.
  return { prompted: false, reason: decision.prompt ? "no-kiosk" : decision.reason };
}

/**
 * The visits processor's hand-off: queues a new interaction for the trigger engine when it may prompt at all
 * (negative, at an item), under a fixed job id (a retried visit end triggers once).
 */
export function queueSurveyTrigger(surveys: Pick<Queue, "add">): (event: InteractionEvent) => Promise<void> {
  return async (event) => {
    if (!mayPrompt(event)) return;
    await surveys.add("interaction", event, { jobId: surveyTriggerJobId(event.interactionId) });
  };
}

/** The trigger engine's reads on PostgreSQL. */
export function prismaSurveyReads(db: Db): Pick<SurveyTriggerDeps, "surveyActive" | "kiosks"> {
  return {
    surveyActive: async (storeId, itemId) => surveyIsActive(await surveyActivity(db, storeId, itemId)),
    kiosks: (storeId, zoneId) =>
      db.kiosk.findMany({
        where: { storeId, zoneId, revokedAt: null, deviceTokenHash: { not: null } },
        select: { id: true, zoneId: true },
        orderBy: { id: "asc" },
      }),
  };
}
