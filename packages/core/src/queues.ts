import { z } from "zod";
import { ZExpressionProbs } from "./expressions.ts";
import { ZBox } from "./coords.ts";

/**
 * The one definition of every BullMQ queue and job payload, shared by producers (camera agent,
 * workers) and consumers (workers). Validate with these schemas on both sides.
 */
export const QUEUES = {
  /** Face crops to classify. Carries pixels: removed from Redis on completion and on failure. */
  crops: "shelf-crops",
  /** Track lifecycle (start / end) from the agent: no pixels. */
  tracks: "shelf-tracks",
  /** Finalised interactions to roll up and score: no pixels. */
  scoring: "shelf-scoring",
  /** Flags handed to the survey engine: no pixels. */
  surveys: "shelf-surveys",
  /** Repeatable housekeeping (retention): no pixels. */
  maintenance: "shelf-maintenance",
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

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

/**
 * One face crop to classify: grey or RGB pixels, base64 in the payload (BullMQ stores JSON), at most
 * MAX_CROP_SIDE² pixels. Never persisted beyond the job.
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
        width: z.number().int().min(8).max(MAX_CROP_SIDE),
        height: z.number().int().min(8).max(MAX_CROP_SIDE),
        channels: z.union([z.literal(1), z.literal(3)]),
        /** base64 of width × height × channels bytes, row-major. */
        data: z.string().min(1),
      })
      .strict()
      .superRefine((c, ctx) => {
        const expected = Math.ceil((c.width * c.height * c.channels) / 3) * 4;
        if (c.data.length !== expected)
          ctx.addIssue({
            code: "custom",
            message: `crop data must be ${expected} base64 chars, got ${c.data.length}`,
          });
      }),
  })
  .strict();
export type CropJob = z.infer<typeof ZCropJob>;

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
    })
    .strict(),
]);
export type TrackEvent = z.infer<typeof ZTrackEvent>;

/** A classified crop as the worker keeps it while the track is open (no pixels). */
export const ZClassifiedSample = z.object({
  capturedAt: z.number().int().positive(),
  probs: ZExpressionProbs,
});
export type ClassifiedSample = z.infer<typeof ZClassifiedSample>;

/** Deterministic BullMQ job id for a crop: idempotent enqueue on agent retries. */
export function cropJobId(trackKey: string, capturedAt: number): string {
  return `crop:${trackKey}:${capturedAt}`.replaceAll(":", "_");
}

/** Recompute one item's rejection score in one store (deduplicated per item while pending). */
export const ZScoreJob = z.object({ storeId: id, itemId: id }).strict();
export type ScoreJob = z.infer<typeof ZScoreJob>;

/** A flag raised: the survey engine activates the item's survey. */
export const ZFlagRaisedJob = z.object({ storeId: id, itemId: id, flagId: id }).strict();
export type FlagRaisedJob = z.infer<typeof ZFlagRaisedJob>;
