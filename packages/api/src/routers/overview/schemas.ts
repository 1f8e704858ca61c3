import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";

/** Length of the current period in store days (the previous period has the same length). */
const ZDays = z.number().int().min(1).max(90).default(7);

export const ZStoreOverviewInput = z
  .object({
    storeSlug: ZStoreSlug,
    days: ZDays,
    /** Products listed (default 10). */
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();
export type StoreOverviewInput = z.infer<typeof ZStoreOverviewInput>;

export const ZChainOverviewInput = z
  .object({
    days: ZDays,
    /** Products listed across the stores (default 10). */
    limit: z.number().int().min(1).max(50).default(10),
  })
  .strict();
export type ChainOverviewInput = z.infer<typeof ZChainOverviewInput>;
