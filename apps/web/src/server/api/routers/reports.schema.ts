import { z } from "zod";

export const ZItemSummaryInput = z.object({ storeSlug: z.string().min(1).max(64) }).strict();
export type ItemSummaryInput = z.infer<typeof ZItemSummaryInput>;
