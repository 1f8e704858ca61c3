import { createTRPCRouter, merchandiserProcedure } from "../trpc.ts";
import { activeSurveys, itemSurveySummary } from "./survey/survey.handler.ts";
import {
  listTemplates,
  revokeShelfSign,
  saveTemplate,
  setSurveyRunning,
  shelfSign,
  surveyItems,
} from "./survey/operations.handler.ts";
import {
  ZActiveSurveysInput,
  ZItemSurveySummaryInput,
  ZSaveTemplateInput,
  ZSetRunningInput,
  ZSurveyItemInput,
  ZTemplatesInput,
} from "./survey/schemas.ts";

/**
 * Survey operations and results, for merchandisers and admins of the store (summaries quote shoppers'
 * free text): question templates, starting and stopping a product's survey, printable shelf signs (short,
 * revocable QR codes). Every change is audited. Shoppers never use tRPC: their pages post plain HTML forms
 * to app/s/[token]/answer and …/decline, and stay public.
 */
export const surveyRouter = createTRPCRouter({
  activeSurveys: merchandiserProcedure
    .input(ZActiveSurveysInput)
    .query(({ ctx, input }) => activeSurveys({ db: ctx.db, input })),
  itemSummary: merchandiserProcedure
    .input(ZItemSurveySummaryInput)
    .query(({ ctx, input }) => itemSurveySummary({ db: ctx.db, input })),
  templates: merchandiserProcedure.input(ZTemplatesInput).query(listTemplates),
  saveTemplate: merchandiserProcedure.input(ZSaveTemplateInput).mutation(saveTemplate),
  items: merchandiserProcedure.input(ZTemplatesInput).query(surveyItems),
  setRunning: merchandiserProcedure.input(ZSetRunningInput).mutation(setSurveyRunning),
  shelfSign: merchandiserProcedure.input(ZSurveyItemInput).query(shelfSign),
  revokeShelfSign: merchandiserProcedure.input(ZSurveyItemInput).mutation(revokeShelfSign),
});
