import { authedProcedure, createTRPCRouter, merchandiserProcedure } from "../trpc.ts";
import { chainOverview } from "./overview/chain-overview.handler.ts";
import { ZChainOverviewInput, ZStoreOverviewInput } from "./overview/schemas.ts";
import { storeOverview } from "./overview/store-overview.handler.ts";

/**
 * What needs attention now, for a store and for the chain: products ranked by the lower bound of their
 * negative-expression rate, change vs the previous period, sparklines, top survey reasons, open flags. Read
 * from the hourly rollups and flags under the reports' k rules.
 */
export const overviewRouter = createTRPCRouter({
  store: merchandiserProcedure.input(ZStoreOverviewInput).query((opts) => storeOverview(opts)),
  /** Every store the caller reads reports of (merchandiser or admin; all for a super admin). */
  chain: authedProcedure.input(ZChainOverviewInput).query((opts) => chainOverview(opts)),
});
