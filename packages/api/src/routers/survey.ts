import { createTRPCRouter, merchandiserProcedure } from "../trpc.ts";
import { activeSurveys, itemSurveySummary, shelfCodeTarget } from "./survey/survey.handler.ts";
import { ZActiveSurveysInput, ZItemSurveySummaryInput, ZShelfCodeTargetInput } from "./survey/schemas.ts";

/**
 * Survey results and printable shelf codes, for merchandisers and admins of the store: summaries quote
 * shoppers' free text. Shoppers never use tRPC: their pages post plain HTML forms to app/s/[token]/answer
 * and …/decline, and stay public.
 */
export const surveyRouter = createTRPCRouter({
  activeSurveys: merchandiserProcedure
    .input(ZActiveSurveysInput)
    .query(({ ctx, input }) => activeSurveys({ db: ctx.db, input })),
  itemSummary: merchandiserProcedure
    .input(ZItemSurveySummaryInput)
    .query(({ ctx, input }) => itemSurveySummary({ db: ctx.db, input })),
  shelfCodeTarget: merchandiserProcedure.input(ZShelfCodeTargetInput).query(shelfCodeTarget),
});
