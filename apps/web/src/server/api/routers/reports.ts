import { createTRPCRouter, publicProcedure } from "../trpc.ts";
import { itemSummaries } from "./reports.handler.ts";
import { ZItemSummaryInput } from "./reports.schema.ts";

export const reportsRouter = createTRPCRouter({
  itemSummaries: publicProcedure
    .input(ZItemSummaryInput)
    .query(({ ctx, input }) => itemSummaries({ db: ctx.db, input })),
});
