import { createCallerFactory, createTRPCRouter } from "./trpc.ts";
import { reportsRouter } from "./routers/reports.ts";

export const appRouter = createTRPCRouter({
  reports: reportsRouter,
});
export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
