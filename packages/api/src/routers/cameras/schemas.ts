import { z } from "zod";
import { MAX_POINT_PAIRS, ZCameraSourceUrl, ZPoint, ZSourceAllowlist } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";

export const ZId = z.string().min(1).max(64);

/**
 * Where the agent reads a camera: `rtsp(s)://…`, `http(s)://…` (MJPEG), `local:<name>` (a file, USB camera or
 * image folder configured on the agent) or `demo:face-api` — never a path or `file:` (see
 * packages/core camera-source.ts). Credentials typed into the URL are sealed and stored apart from it.
 */
export const ZSourceUrl = ZCameraSourceUrl;

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
export type CreateCameraInput = z.infer<typeof ZCreateCameraInput>;

/** What staff may change. The source is not among it: only admins set sources (ZSetCameraSourceInput). */
export const ZUpdateCameraInput = z
  .object({
    storeSlug: ZStoreSlug,
    cameraId: ZId,
    name: cameraFields.name.optional(),
    widthPx: cameraFields.widthPx.optional(),
    heightPx: cameraFields.heightPx.optional(),
    analysisFps: cameraFields.analysisFps.optional(),
    enabled: z.boolean().optional(),
    floorPlanId: ZId.optional(),
  })
  .strict();
export type UpdateCameraInput = z.infer<typeof ZUpdateCameraInput>;

/** Admins: a camera's new source; credentials in it replace the stored ones (none in it: none stored). */
export const ZSetCameraSourceInput = z
  .object({ storeSlug: ZStoreSlug, cameraId: ZId, sourceUrl: ZSourceUrl })
  .strict();
export type SetCameraSourceInput = z.infer<typeof ZSetCameraSourceInput>;

export const ZStoreInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type StoreInput = z.infer<typeof ZStoreInput>;

/** Admins: host names, IP addresses and CIDRs the store's camera sources may reach. */
export const ZSetSourcePolicyInput = z
  .object({ storeSlug: ZStoreSlug, allowlist: ZSourceAllowlist })
  .strict();
export type SetSourcePolicyInput = z.infer<typeof ZSetSourcePolicyInput>;

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
