import { randomUUID } from "node:crypto";
import type { RedisClient } from "@shelf/core/redis-client";
import type { Db } from "@shelf/db";
import {
  encodeLiveEvent,
  liveChannel,
  parsePendingPrompt,
  pendingPromptKey,
  promptDeliveredKey,
  PROMPT_VALID_MS,
  type PendingPrompt,
  type SurveyPromptEvent,
} from "@shelf/survey-engine";
import type { SseChannel } from "../http/sse.ts";
import { INVITE_TTL_MS } from "./config.ts";
import { createInvite, isSurveyActive } from "./invites.ts";

/**
 * Kiosk prompt DELIVERY. Prompts are decided in one place, the worker's survey trigger engine
 * (`apps/worker/src/processors/surveys.ts`): it claims the cooldowns, leaves the prompt waiting for its kiosk
 * (`pendingPromptKey`, {@link PROMPT_VALID_MS}) and publishes it on the store's live channel. A kiosk stream
 * only delivers ({@link sendKioskPrompt}): a published prompt for its kiosk at once, a waiting one when it
 * (re)connects ({@link waitingPrompt}). Delivering mints the single-use kiosk invite — so the token
 * exists only in the stream's answer — after claiming the prompt (`promptDeliveredKey`, SET NX): of the live
 * event and a reconnect, in any number of processes, exactly one mints. A stream that minted but closed
 * before it could send (a kiosk reloading at that moment) hands the prompt back ({@link returnUndeliveredPrompt}).
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
  redis: RedisClient;
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
  claimant: string = randomUUID(),
): Promise<KioskPromptPayload | null> {
  if (event.kioskId !== kiosk.id || event.storeId !== kiosk.storeId) return null;
  const now = (deps.now ?? Date.now)();
  const deliveredKey = promptDeliveredKey(event.promptId, deps.prefix);
  const claimed = await deps.redis.set(deliveredKey, claimant, "PX", PROMPT_VALID_MS * 2, "NX");
  // Ours already when an earlier try's claim went through but its answer was lost (a timeout): go on.
  if (claimed !== "OK" && (await deps.redis.get(deliveredKey)) !== claimant) return null;
  // Delivered: a reconnecting stream must not find it waiting (a newer prompt waiting there stays).
  const pendingKey = pendingPromptKey(kiosk.id, deps.prefix);
  const waitingText = await deps.redis.get(pendingKey);
  if (parsePendingPrompt(waitingText)?.event.promptId === event.promptId)
    await deps.redis.eval(DELETE_IF_EQUAL_LUA, 1, pendingKey, waitingText!);
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

/** Deletes KEYS[1] if it still holds ARGV[1]; 1 if deleted. */
const DELETE_IF_EQUAL_LUA =
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

/**
 * Hands back a prompt that `claimant` claimed but did not show (its stream closed while minting — the kiosk
 * reloaded, another screen took over — or minting failed): the claim is released (only if still that
 * claimant's) and the prompt waits again for what is left of its validity. With `republish` it is also published
 * once more, so the kiosk's open stream, if any, delivers it now; after a failure it is not (a stream retries
 * waiting prompts at its next heartbeat, so a failing database cannot make it spin). An invite minted for the
 * lost send is never shown and expires unused. False (nothing done) once the prompt has expired or the claim
 * is someone else's.
 */
export async function returnUndeliveredPrompt(
  deps: PromptDeps,
  event: SurveyPromptEvent,
  claimant: string,
  { republish }: { republish: boolean },
): Promise<boolean> {
  const expiresAt = event.at + PROMPT_VALID_MS;
  const left = expiresAt - (deps.now ?? Date.now)();
  if (left <= 0) return false;
  const released = await deps.redis.eval(
    DELETE_IF_EQUAL_LUA,
    1,
    promptDeliveredKey(event.promptId, deps.prefix),
    claimant,
  );
  if (released !== 1) return false;
  const pending: PendingPrompt = { event, expiresAt };
  await deps.redis.set(pendingPromptKey(event.kioskId, deps.prefix), JSON.stringify(pending), "PX", left);
  if (republish) await deps.redis.publish(liveChannel(event.storeId, deps.prefix), encodeLiveEvent(event));
  return true;
}

/** The prompt waiting for this kiosk (decided while no stream of it was open), if still valid; else null. */
export async function waitingPrompt(deps: PromptDeps, kiosk: KioskRef): Promise<SurveyPromptEvent | null> {
  const waiting = parsePendingPrompt(await deps.redis.get(pendingPromptKey(kiosk.id, deps.prefix)));
  if (!waiting || waiting.expiresAt <= (deps.now ?? Date.now)()) return null;
  return waiting.event;
}

/** The prompt waiting for this kiosk, minted now; else null. */
export async function deliverWaitingPrompt(
  deps: PromptDeps,
  kiosk: KioskRef,
): Promise<KioskPromptPayload | null> {
  const event = await waitingPrompt(deps, kiosk);
  return event ? mintKioskPrompt(deps, kiosk, event) : null;
}

/**
 * Mints `event`'s prompt and sends it on a kiosk's stream (SSE `prompt`): "sent"; "returned" when the stream
 * closed while minting (the prompt handed back and republished, see {@link returnUndeliveredPrompt}); a
 * failure while minting hands it back to wait, then is rethrown; "none" when there was nothing to show (not this kiosk's, delivered
 * already, survey over).
 */
export async function sendKioskPrompt(
  deps: PromptDeps,
  kiosk: KioskRef,
  event: SurveyPromptEvent,
  stream: Pick<SseChannel, "send" | "closed">,
): Promise<"sent" | "returned" | "none"> {
  const claimant = randomUUID();
  let prompt: KioskPromptPayload | null;
  try {
    prompt = await mintKioskPrompt(deps, kiosk, event, claimant);
  } catch (err) {
    await returnUndeliveredPrompt(deps, event, claimant, { republish: false }).catch(() => false);
    throw err;
  }
  if (!prompt) return "none";
  if (!stream.closed) {
    stream.send("prompt", prompt);
    return "sent";
  }
  return (await returnUndeliveredPrompt(deps, event, claimant, { republish: true })) ? "returned" : "none";
}
