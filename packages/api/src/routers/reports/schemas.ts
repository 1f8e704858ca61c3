import { z } from "zod";
import { ZExpression } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";
import { ZRangeFields } from "../../reports/range.ts";

export const ZId = z.string().min(1).max(64);

export const ZMeasurementInput = z.object({ storeSlug: ZStoreSlug }).strict();

export const ZItemSummariesInput = z.object({ storeSlug: ZStoreSlug, ...ZRangeFields }).strict();
export type ItemSummariesInput = z.infer<typeof ZItemSummariesInput>;

export const ZItemReportInput = z
  .object({
    storeSlug: ZStoreSlug,
    itemId: ZId,
    ...ZRangeFields,
    bucket: z.enum(["hour", "day"]).default("day"),
  })
  .strict();
export type ItemReportInput = z.infer<typeof ZItemReportInput>;

export const ZFlaggedItemsInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** Also list flags cleared within this many days (default 30). */
    clearedWithinDays: z.number().int().min(0).max(366).default(30),
  })
  .strict();
export type FlaggedItemsInput = z.infer<typeof ZFlaggedItemsInput>;

export const ZTrafficInput = z
  .object({ storeSlug: ZStoreSlug, ...ZRangeFields, itemId: ZId.optional(), zoneId: ZId.optional() })
  .strict();
export type TrafficInput = z.infer<typeof ZTrafficInput>;

export const ZStoreMapInput = z
  .object({
    storeSlug: ZStoreSlug,
    floorPlanId: ZId.optional(),
    ...ZRangeFields,
    /** Heatmap of interactions with these dominant expressions; empty or absent: all. */
    expressions: z.array(ZExpression).max(7).optional(),
  })
  .strict();
export type StoreMapInput = z.infer<typeof ZStoreMapInput>;
