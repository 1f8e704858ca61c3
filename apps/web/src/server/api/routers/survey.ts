import { createTRPCRouter, publicProcedure } from "../trpc.ts";
import { activeSurveys, itemSurveySummary } from "./survey.handler.ts";
import { ZActiveSurveysInput, ZItemSurveySummaryInput } from "./survey.schema.ts";

/**
 * Survey results for staff and merchandisers. Public like the reports until sign-in lands (web-app issue):
 * then these become merchandiser procedures, because summaries quote shoppers' free text.
 * Shoppers never use tRPC: their pages post plain HTML forms to app/s/[token]/answer and …/decline.
 */
export const surveyRouter = createTRPCRouter({
  activeSurveys: publicProcedure
    .input(ZActiveSurveysInput)
    .query(({ ctx, input }) => activeSurveys({ db: ctx.db, input })),
  itemSummary: publicProcedure
    .input(ZItemSurveySummaryInput)
    .query(({ ctx, input }) => itemSurveySummary({ db: ctx.db, input })),
});
