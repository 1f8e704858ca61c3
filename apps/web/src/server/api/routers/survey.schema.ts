import { z } from "zod";

const ZId = z.string().min(1).max(64);
const ZStoreSlug = z.string().min(1).max(64);

export const ZActiveSurveysInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type ActiveSurveysInput = z.infer<typeof ZActiveSurveysInput>;

export const ZItemSurveySummaryInput = z.object({ storeSlug: ZStoreSlug, itemId: ZId }).strict();
export type ItemSurveySummaryInput = z.infer<typeof ZItemSurveySummaryInput>;
