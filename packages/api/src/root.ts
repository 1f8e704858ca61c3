import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createCallerFactory, createTRPCRouter } from "./trpc.ts";
import { adminRouter } from "./routers/admin.ts";
import { camerasRouter } from "./routers/cameras.ts";
import { complianceRouter } from "./routers/compliance.ts";
import { flagsRouter } from "./routers/flags.ts";
import { kiosksRouter } from "./routers/kiosks.ts";
import { liveRouter } from "./routers/live.ts";
import { overviewRouter } from "./routers/overview.ts";
import { platformRouter } from "./routers/platform.ts";
import { reportsRouter } from "./routers/reports.ts";
import { salesRouter } from "./routers/sales.ts";
import { sessionRouter } from "./routers/session.ts";
import { surveyRouter } from "./routers/survey.ts";
import { zonesRouter } from "./routers/zones.ts";

export const appRouter = createTRPCRouter({
  session: sessionRouter,
  reports: reportsRouter,
  live: liveRouter,
  sales: salesRouter,
  cameras: camerasRouter,
  zones: zonesRouter,
  admin: adminRouter,
  platform: platformRouter,
  survey: surveyRouter,
  kiosks: kiosksRouter,
  compliance: complianceRouter,
  overview: overviewRouter,
  flags: flagsRouter,
});
export type AppRouter = typeof appRouter;
/** What each procedure takes, e.g. `RouterInputs["reports"]["itemReport"]` (before defaults). */
export type RouterInputs = inferRouterInputs<AppRouter>;
/** What each procedure returns, e.g. `RouterOutputs["reports"]["flaggedItems"]`: components use these, never copies. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export const createCaller = createCallerFactory(appRouter);
