import { z } from "zod";
import { ZPlanogramSlot, ZShelfLine, ZZonePolygon } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";
import { ZDisplayName } from "../../display-name.ts";

export const ZId = z.string().min(1).max(64);

export const ZSaveZoneInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** Update this zone; absent: create one. */
    zoneId: ZId.optional(),
    floorPlanId: ZId,
    name: ZDisplayName(100),
    /** FloorM */
    polygon: ZZonePolygon,
    /** FloorM; null: the longest polygon edge. */
    shelfLine: ZShelfLine.nullable(),
    staffOnly: z.boolean(),
    slots: z.array(ZPlanogramSlot).max(500),
  })
  .strict();
export type SaveZoneInput = z.infer<typeof ZSaveZoneInput>;

export const ZDeleteZoneInput = z.object({ storeSlug: ZStoreSlug, zoneId: ZId }).strict();
export type DeleteZoneInput = z.infer<typeof ZDeleteZoneInput>;

export const ZCreateItemInput = z
  .object({
    storeSlug: ZStoreSlug,
    sku: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash and underscore"),
    name: ZDisplayName(200),
    category: ZDisplayName(100).toLowerCase(),
  })
  .strict();
export type CreateItemInput = z.infer<typeof ZCreateItemInput>;

export const ZSaveFloorPlanInput = z
  .object({
    storeSlug: ZStoreSlug,
    floorPlanId: ZId.optional(),
    name: ZDisplayName(100),
    /** metres */
    widthM: z.number().positive().max(10_000),
    heightM: z.number().positive().max(10_000),
  })
  .strict();
export type SaveFloorPlanInput = z.infer<typeof ZSaveFloorPlanInput>;
