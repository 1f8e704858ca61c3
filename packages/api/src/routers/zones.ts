import { z } from "zod";
import { createTRPCRouter, staffProcedure, ZStoreSlug } from "../trpc.ts";
import { createItem, deleteZone, listZones, saveFloorPlan, saveZone } from "./zones/zones.handler.ts";
import { ZCreateItemInput, ZDeleteZoneInput, ZSaveFloorPlanInput, ZSaveZoneInput } from "./zones/schemas.ts";

/** Staff: floor plans, shelf zones (staff-only or not), planograms and the product catalogue. Audited. */
export const zonesRouter = createTRPCRouter({
  list: staffProcedure.input(z.object({ storeSlug: ZStoreSlug }).strict()).query(listZones),
  save: staffProcedure.input(ZSaveZoneInput).mutation(saveZone),
  delete: staffProcedure.input(ZDeleteZoneInput).mutation(deleteZone),
  createItem: staffProcedure.input(ZCreateItemInput).mutation(createItem),
  saveFloorPlan: staffProcedure.input(ZSaveFloorPlanInput).mutation(saveFloorPlan),
});
