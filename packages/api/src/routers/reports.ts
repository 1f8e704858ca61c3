import { createTRPCRouter, merchandiserProcedure } from "../trpc.ts";
import { flaggedItems } from "./reports/flagged-items.handler.ts";
import { itemReport } from "./reports/item-report.handler.ts";
import { itemSummaries } from "./reports/item-summaries.handler.ts";
import { measurement } from "./reports/measurement.handler.ts";
import { storeMap } from "./reports/store-map.handler.ts";
import { dailyVisits, hourOfDay } from "./reports/traffic.handler.ts";
import {
  ZFlaggedItemsInput,
  ZItemReportInput,
  ZItemSummariesInput,
  ZMeasurementInput,
  ZStoreMapInput,
  ZTrafficInput,
} from "./reports/schemas.ts";

/** Merchandisers' reports: every one reads the hourly rollups and hides cells with fewer than k interactions. */
export const reportsRouter = createTRPCRouter({
  itemSummaries: merchandiserProcedure.input(ZItemSummariesInput).query(itemSummaries),
  itemReport: merchandiserProcedure.input(ZItemReportInput).query(itemReport),
  flaggedItems: merchandiserProcedure.input(ZFlaggedItemsInput).query(flaggedItems),
  hourOfDay: merchandiserProcedure.input(ZTrafficInput).query(hourOfDay),
  dailyVisits: merchandiserProcedure.input(ZTrafficInput).query(dailyVisits),
  storeMap: merchandiserProcedure.input(ZStoreMapInput).query(storeMap),
  /** What the negative-expression rate counts in this store (for the "What is this?" note). */
  measurement: merchandiserProcedure.input(ZMeasurementInput).query(measurement),
});
