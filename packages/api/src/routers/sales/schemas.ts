import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";

/** Largest CSV accepted, characters (≈ 50 000 rows). */
export const MAX_SALES_CSV_CHARS = 4_000_000;

export const ZImportSalesInput = z
  .object({
    storeSlug: ZStoreSlug,
    csv: z.string().min(1, "the file is empty").max(MAX_SALES_CSV_CHARS, "the file is over 4 MB: split it"),
  })
  .strict();
export type ImportSalesInput = z.infer<typeof ZImportSalesInput>;
