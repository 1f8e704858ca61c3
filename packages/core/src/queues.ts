import { z } from "zod";
import { ZExpressionProbs } from "./expressions.ts";
import { ZBox } from "./coords.ts";
import { ZInteractionEvent } from "./live-events.ts";

/**
 * The one definition of every BullMQ queue and job payload, shared by producers (camera agent,
 * workers) and consumers (workers). Validate with these schemas on both sides.
 */
export const QUEUES = {
  /** Face crops to classify. Carries pixels: removed from Redis on completion and on failure. */
  crops: "shelf-crops",
  /** Track lifecycle (start / end) from the agent: no pixels. */
  tracks: "shelf-tracks",
  /** One item's rejection score to recompute (debounced per item): no pixels. */
  scoring: "shelf-scoring",
  /**
   * A whole store's scores or flags to redo after an admin changed the rules (the web app enqueues and waits
   * for the result): no pixels.
   */
  rescore: "shelf-rescore",
  /** New negative interactions for the survey trigger engine (kiosk prompts): no pixels. */
  surveys: "shelf-surveys",
  /** Repeatable housekeeping (retention): no pixels. */
  maintenance: "shelf-maintenance",
  /** A raised flag's alert (e-mail, signed webhook), one job per flag: no pixels. */
  alerts: "shelf-alerts",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * The queues a store's agent writes: one of each per store, under the store's prefix (`redisLayout().store`),
 * so an ACL user can confine the agent to its store. Every other queue is central (`redisLayout().central`).
 */
export const STORE_QUEUES = [QUEUES.crops, QUEUES.tracks] as const;
export type StoreQueueName = (typeof STORE_QUEUES)[number];

/** True for a per-store queue. */
export function isStoreQueue(name: QueueName): name is StoreQueueName {
  return (STORE_QUEUES as readonly QueueName[]).includes(name);
}

const id = z.string().min(1).max(64);

/** Where a track stands: which store, camera, zone and item its face maps to. */
export const ZTrackContext = z
  .object({
    storeId: id,
    cameraId: id,
    zoneId: id,
    /** null when the zone has no planogram slot at the projected point. */
    itemId: id.nullable(),
    /**
     * Ephemeral key of one track's visit to one zone, unique per agent run (`<agentRunId>:<track>:<visit>`).
     * It groups crops into one interaction, is hashed into the interaction's id, and is never stored.
     */
    trackKey: z.string().min(1).max(128),
    calibrationVersion: z.number().int().nonnegative(),
  })
  .strict();
export type TrackContext = z.infer<typeof ZTrackContext>;

/** Maximum crop side in pixels: crops are resized by the agent before enqueueing. */
export const MAX_CROP_SIDE = 160;

const ZCropShape = {
  width: z.number().int().min(8).max(MAX_CROP_SIDE),
  height: z.number().int().min(8).max(MAX_CROP_SIDE),
  channels: z.union([z.literal(1), z.literal(3)]),
};

/** Length of the base64 text of `bytes` bytes. */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

function checkDataLength(
  c: { width: number; height: number; channels: number; data: string },
  ctx: z.RefinementCtx,
): void {
  const expected = base64Length(c.width * c.height * c.channels);
  if (c.data.length !== expected)
    ctx.addIssue({
      code: "custom",
      path: ["data"],
      message: `crop data must be ${expected} base64 chars, got ${c.data.length}`,
    });
}

/**
 * One face crop as the camera pipeline hands it to its job sink, in the agent's memory only: grey or RGB
 * pixels, base64, at most MAX_CROP_SIDE² pixels. It never goes to Redis as such: the sink seals the pixels
 * first ({@link ZCropQueueJob}).
 */
export const ZCropJob = z
  .object({
    context: ZTrackContext,
    /** Capture time, ms since epoch. */
    capturedAt: z.number().int().positive(),
    /** Detection box in the frame (FramePx), kept only for quality checks. */
    box: ZBox,
    detectionScore: z.number().min(0).max(1),
    crop: z
      .object({
        ...ZCropShape,
        /** base64 of width × height × channels bytes, row-major. */
        data: z.string().min(1),
      })
      .strict()
      .superRefine(checkDataLength),
  })
  .strict();
export type CropJob = z.infer<typeof ZCropJob>;

const ZBase64 = (bytes: number) =>
  z
    .string()
    .length(base64Length(bytes))
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64");

/** A data-key id: random, url-safe. */
export const ZCropKeyId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "must be 16–64 url-safe chars");

/**
 * A crop's pixels as they travel through Redis: AES-256-GCM under a data key that exists only in the
 * memory of the agent that made it and of the workers it was wrapped for (see {@link ZWrappedCropKey}).
 * A persistent Redis (AOF, RDB) therefore only ever writes ciphertext to disk, and once the agent and the
 * workers forget the key (after {@link CROP_KEY_ROTATE_MS} + the crop TTL) nobody can read it.
 * The additional authenticated data is {@link cropAad}: a sealed crop cannot be moved to another visit.
 */
export const ZSealedCrop = z
  .object({
    ...ZCropShape,
    keyId: ZCropKeyId,
    /** GCM nonce, 12 bytes, base64. */
    iv: ZBase64(12),
    /** GCM tag, 16 bytes, base64. */
    tag: ZBase64(16),
    /** base64 of the ciphertext (as long as the width × height × channels pixel bytes). */
    data: z.string().min(1),
  })
  .strict()
  .superRefine(checkDataLength);
export type SealedCrop = z.infer<typeof ZSealedCrop>;

/** Longest a crop may wait in the queue, ms (a producer cannot ask for more). */
export const MAX_CROP_TTL_MS = 3_600_000;

/** A crop job as it is stored in Redis: the sealed crop plus its expiry. */
export const ZCropQueueJob = z
  .object({
    context: ZTrackContext,
    capturedAt: z.number().int().positive(),
    box: ZBox,
    detectionScore: z.number().min(0).max(1),
    /** After this time (ms since epoch) the worker drops the crop unread and counts it as stale. */
    expiresAt: z.number().int().positive(),
    crop: ZSealedCrop,
  })
  .strict()
  .superRefine((j, ctx) => {
    if (j.expiresAt > j.capturedAt + MAX_CROP_TTL_MS)
      ctx.addIssue({
        code: "custom",
        path: ["expiresAt"],
        message: `must be at most ${MAX_CROP_TTL_MS} ms after capturedAt`,
      });
  });
export type CropQueueJob = z.infer<typeof ZCropQueueJob>;

/** What a sealed crop is bound to (GCM additional authenticated data, UTF-8): its visit, time and shape. */
export function cropAad(j: {
  context: Pick<TrackContext, "storeId" | "trackKey" | "zoneId">;
  capturedAt: number;
  crop: { width: number; height: number; channels: number; keyId: string };
}): string {
  const c = j.crop;
  return `${j.context.storeId}|${j.context.trackKey}|${j.context.zoneId}|${j.capturedAt}|${c.width}x${c.height}x${c.channels}|${c.keyId}`;
}

/**
 * A worker's public key for crop data keys (X25519, SPKI DER, base64), refreshed while it runs. Public keys
 * are safe on disk; the private half lives only in the worker's memory and dies with the process.
 */
export const ZCropRecipient = z
  .object({
    publicKey: z.string().min(40).max(200),
    /** Last heartbeat, ms since epoch. */
    seenAt: z.number().int().positive(),
  })
  .strict();
export type CropRecipient = z.infer<typeof ZCropRecipient>;

/**
 * One data key wrapped for one worker: ECDH(X25519) between a fresh ephemeral key of the agent and the
 * worker's public key → HKDF-SHA-256 (salt = keyId, info = {@link CROP_KEY_INFO} + worker id) →
 * AES-256-GCM over the 32-byte data key. Safe on disk without the worker's private key.
 */
export const ZWrappedCropKey = z
  .object({
    /** The agent's ephemeral X25519 public key, SPKI DER, base64. */
    epk: z.string().min(40).max(200),
    iv: ZBase64(12),
    tag: ZBase64(16),
    key: ZBase64(32),
  })
  .strict();
export type WrappedCropKey = z.infer<typeof ZWrappedCropKey>;

/** HKDF info prefix of the key wrap (versioned). */
export const CROP_KEY_INFO = "shelf-crop-key-wrap/v1:";
/** The agent starts a new data key this often, ms. */
export const CROP_KEY_ROTATE_MS = 60_000;
/** A worker refreshes its public key this often, ms; the agent ignores keys older than 3 heartbeats. */
export const CROP_RECIPIENT_HEARTBEAT_MS = 5_000;

/**
 * Redis keys shared by agent and worker, all under the store's prefix (`redisLayout().store(storeId)`): the
 * store's agent, confined to that prefix by its ACL user, reads and writes them; the workers that serve the store
 * too.
 */
export const redisKeys = {
  /** The public crop keys of the workers that serve the store (each publishes under every store it serves). */
  cropRecipients: (storePrefix: string) => `${storePrefix}:crop-recipients`,
  /** Store (`layout.store(id)`): one data key wrapped for each worker. */
  cropKeys: (storePrefix: string, keyId: string) => `${storePrefix}:crop-keys:${keyId}`,
  /** Store: set of the crop job ids the agent enqueued for one visit: what the visit's end waits for. */
  visitCrops: (storePrefix: string, c: Pick<TrackContext, "trackKey" | "zoneId">) =>
    `${storePrefix}:visit-crops:${c.trackKey}:${c.zoneId}`,
  /** The BullMQ hash of one job (exists while the job is waiting, delayed or active), under its queue's prefix. */
  job: (queuePrefix: string, queue: QueueName, jobId: string) => `${queuePrefix}:${queue}:${jobId}`,
};

/**
 * A validation failure as a reason that names each offending field (zod issue paths), e.g.
 * `invalid crop job: crop.width: Too big: expected number to be <=160`.
 */
export function invalidJobReason(what: string, error: z.ZodError): string {
  const issues = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "(payload)"}: ${i.message}`);
  const more = error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : "";
  return `invalid ${what}: ${issues.join("; ")}${more}`;
}

/**
 * Most expression vectors one visit end carries (edge classification): a minute of samples at 2 a second.
 * A longer visit keeps an even spread over its whole stay (the agent thins its samples, see the pipeline).
 */
export const MAX_EDGE_SAMPLES = 120;

/** A classified crop as the worker keeps it while the track is open, or as the agent sends it (no pixels). */
export const ZClassifiedSample = z
  .object({
    capturedAt: z.number().int().positive(),
    probs: ZExpressionProbs,
  })
  .strict();
export type ClassifiedSample = z.infer<typeof ZClassifiedSample>;

/** Track lifecycle event. `end` finalises the interaction(s) of that track. */
export const ZTrackEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("start"), context: ZTrackContext, at: z.number().int().positive() }).strict(),
  z
    .object({
      type: z.literal("end"),
      context: ZTrackContext,
      /** First and last time the track was seen in this zone, ms since epoch. */
      startedAt: z.number().int().positive(),
      endedAt: z.number().int().positive(),
      /** Crops the agent enqueued for this track at this zone (lets the worker know when all have landed). */
      cropsSent: z.number().int().nonnegative(),
      /**
       * Crops the agent took for this visit but could not send (Redis link down, crop backlog over the cap): pixels
       * are never buffered, so a visit whose crops were all dropped has no interaction and is counted as such.
       */
      cropsDropped: z.number().int().nonnegative().optional(),
      /**
       * Set by a worker, not the agent: the agent went silent (killed, cut off) and never sent the end;
       * the visit is finalised from the samples it has. See VISIT_SILENT_MS in the worker.
       */
      abandoned: z.literal(true).optional(),
      /**
       * Classification at the edge (agent `AGENT_CLASSIFY=1`): the visit's expression vectors, classified by the
       * agent, in capture order. No crop of such a visit leaves the store (`cropsSent` is 0); the worker builds
       * the interaction from these instead of from classified crops. At most {@link MAX_EDGE_SAMPLES}.
       */
      samples: z.array(ZClassifiedSample).min(1).max(MAX_EDGE_SAMPLES).optional(),
    })
    .strict(),
]);
export type TrackEvent = z.infer<typeof ZTrackEvent>;

/** Deterministic BullMQ job id for a crop: idempotent enqueue on agent retries. */
export function cropJobId(trackKey: string, capturedAt: number): string {
  return `crop:${trackKey}:${capturedAt}`.replaceAll(":", "_");
}

/**
 * Deterministic BullMQ job id of a visit's start or end: the agent's retries, and a worker finalising a visit
 * whose agent went silent, all land on one job.
 */
export function trackJobId(
  type: TrackEvent["type"],
  context: Pick<TrackContext, "trackKey" | "zoneId">,
): string {
  return `track_${type}_${context.trackKey}_${context.zoneId}`.replaceAll(":", "_");
}

/** Recompute one item's rejection score in one store (deduplicated per item while pending). */
export const ZScoreJob = z.object({ storeId: id, itemId: id }).strict();
export type ScoreJob = z.infer<typeof ZScoreJob>;

/**
 * Redo a store's flags after an admin changed the rules; the worker's answer is a {@link RescoreResult}.
 * - `rescore`: what a score is computed from changed (negative set, window, hesitation rule): recompute every
 *   item's score from the rollups, then decide its flag.
 * - `redecide`: only when a flag changes changed (thresholds, minimum sample): decide every item's flag from
 *   its last score, as the worker left it.
 */
export const ZRescoreJob = z
  .object({
    storeId: id,
    mode: z.enum(["rescore", "redecide"]),
    /** Who asked, for the log and the job id: the audit entry of the change. */
    requestId: id,
  })
  .strict();
export type RescoreJob = z.infer<typeof ZRescoreJob>;

/** Fixed job id of a rescore request: a retried request lands on the same job. */
export function rescoreJobId(job: Pick<RescoreJob, "storeId" | "requestId">): string {
  return `rescore_${job.storeId}_${job.requestId}`.replaceAll(":", "_");
}

/** One flag raised or cleared by a rescore. */
export const ZFlagChange = z
  .object({
    flagId: id,
    itemId: id,
    state: z.enum(["raised", "cleared"]),
    /** Wilson lower bound and the threshold it was compared with, 0…1. */
    lower: z.number().min(0).max(1),
    threshold: z.number().min(0).max(1),
    /** ms since epoch. */
    at: z.number().int().positive(),
  })
  .strict();
export type FlagChange = z.infer<typeof ZFlagChange>;

/** What a rescore job returns (validated by the waiting web app: it crosses Redis). */
export const ZRescoreResult = z
  .object({
    /** Items whose flag was looked at. */
    items: z.number().int().nonnegative(),
    /** Flags raised and cleared, in item id order. */
    changes: z.array(ZFlagChange),
  })
  .strict();
export type RescoreResult = z.infer<typeof ZRescoreResult>;

/**
 * A new interaction for the survey trigger engine: the interaction's live event (no pixels, no track key).
 * Only negative interactions at an item are sent (`mayPrompt` in `@shelf/survey-engine`).
 */
export const ZSurveyTriggerJob = ZInteractionEvent;
export type SurveyTriggerJob = z.infer<typeof ZSurveyTriggerJob>;

/** Fixed job id of an interaction's survey trigger: a retried visit end triggers once. */
export function surveyTriggerJobId(interactionId: string): string {
  return `survey_${interactionId}`.replaceAll(":", "_");
}

/**
 * Send a raised flag's alerts (the store's e-mail recipients and webhook). Enqueued by the worker that raised
 * the flag, under {@link alertJobId}; the alerts processor records each channel it delivered, so a retry
 * after a partial failure sends only what is missing.
 */
export const ZAlertJob = z.object({ flagId: id }).strict();
export type AlertJob = z.infer<typeof ZAlertJob>;

/** Fixed job id of a flag's alert: one alert per flag, however often its raise is reported. */
export function alertJobId(flagId: string): string {
  return `alert_${flagId}`.replaceAll(":", "_");
}
