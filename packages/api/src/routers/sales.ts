import { z } from "zod";
import { createTRPCRouter, merchandiserProcedure, ZStoreSlug } from "../trpc.ts";
import { importSales, salesOverview } from "./sales/sales.handler.ts";
import { ZImportSalesInput } from "./sales/schemas.ts";

/** Merchandisers: sales imported as CSV, shown against emotion in product reports. */
export const salesRouter = createTRPCRouter({
  import: merchandiserProcedure.input(ZImportSalesInput).mutation(importSales),
  overview: merchandiserProcedure.input(z.object({ storeSlug: ZStoreSlug }).strict()).query(salesOverview),
});
