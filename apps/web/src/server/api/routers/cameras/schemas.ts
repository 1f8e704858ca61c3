import { z } from "zod";
import { MAX_POINT_PAIRS, ZPoint } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";

export const ZId = z.string().min(1).max(64);

/**
 * Where the agent reads a camera: `rtsp://…`, `http(s)://…` (MJPEG), `v4l2:/dev/videoN`, `file:/path` or an
 * absolute path (video file or image folder), or `demo:…`. Nothing else, and never a leading "-" (ffmpeg
 * would read it as an option).
 */
export const ZSourceUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .regex(
    /^(rtsps?:\/\/|https?:\/\/|v4l2:\/|file:\/|demo:|\/)[^\s]*$/,
    "use rtsp://, http(s)://, v4l2:/dev/…, file:/… or an absolute path",
  );

const cameraFields = {
  name: z.string().trim().min(1).max(100),
  sourceUrl: ZSourceUrl,
  /** Frame size, px (bounds as the agent's camera config). */
  widthPx: z.number().int().min(32).max(7680),
  heightPx: z.number().int().min(32).max(4320),
  /** Frames analysed per second. */
  analysisFps: z.number().min(0.2).max(60),
  enabled: z.boolean(),
  floorPlanId: ZId,
};

export const ZCreateCameraInput = z
  .object({
    storeSlug: ZStoreSlug,
    ...cameraFields,
    analysisFps: cameraFields.analysisFps.default(5),
    enabled: z.boolean().default(true),
  })
  .strict();
export type CreateCameraInput = z.input<typeof ZCreateCameraInput>;

export const ZUpdateCameraInput = z
  .object({
    storeSlug: ZStoreSlug,
    cameraId: ZId,
    name: cameraFields.name.optional(),
    sourceUrl: cameraFields.sourceUrl.optional(),
    widthPx: cameraFields.widthPx.optional(),
    heightPx: cameraFields.heightPx.optional(),
    analysisFps: cameraFields.analysisFps.optional(),
    enabled: z.boolean().optional(),
    floorPlanId: ZId.optional(),
  })
  .strict();
export type UpdateCameraInput = z.infer<typeof ZUpdateCameraInput>;

export const ZCameraInput = z.object({ storeSlug: ZStoreSlug, cameraId: ZId }).strict();
export type CameraInput = z.infer<typeof ZCameraInput>;

export const ZSaveCalibrationInput = z
  .object({
    storeSlug: ZStoreSlug,
    cameraId: ZId,
    /** Frame point (FramePx) ↔ floor point (FloorM) pairs, ≥ 4. */
    pointPairs: z
      .array(z.object({ frame: ZPoint, floor: ZPoint }).strict())
      .min(4)
      .max(MAX_POINT_PAIRS),
    /** Height of the plane faces are projected on, metres (the agent's bounds). */
    headHeightM: z.number().min(0.5).max(2.5),
    /** The version the editor started from: saving fails if someone saved another meanwhile. */
    baseVersion: z.number().int().min(0).nullable().optional(),
  })
  .strict();
export type SaveCalibrationInput = z.infer<typeof ZSaveCalibrationInput>;
