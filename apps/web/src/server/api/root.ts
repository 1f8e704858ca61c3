import { createCallerFactory, createTRPCRouter } from "./trpc.ts";
import { reportsRouter } from "./routers/reports.ts";
import { surveyRouter } from "./routers/survey.ts";

export const appRouter = createTRPCRouter({
  reports: reportsRouter,
  survey: surveyRouter,
});
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
