import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";

const ZId = z.string().min(1).max(64);

export const ZActiveSurveysInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type ActiveSurveysInput = z.infer<typeof ZActiveSurveysInput>;

export const ZItemSurveySummaryInput = z.object({ storeSlug: ZStoreSlug, itemId: ZId }).strict();
export type ItemSurveySummaryInput = z.infer<typeof ZItemSurveySummaryInput>;

export const ZShelfCodeTargetInput = z.object({ storeSlug: ZStoreSlug, itemId: ZId }).strict();
export type ShelfCodeTargetInput = z.infer<typeof ZShelfCodeTargetInput>;
