import { adminProcedure, createTRPCRouter, publicProcedure } from "../trpc.ts";
import { getController, updateController } from "./compliance/controller.handler.ts";
import { exportDpia } from "./compliance/dpia.handler.ts";
import { getPrivacyNotice } from "./compliance/notice.handler.ts";
import { ZComplianceStoreInput, ZDpiaInput, ZUpdateControllerInput } from "./compliance/schemas.ts";

/**
 * The compliance pack (EU AI Act Art. 50(3), GDPR Art. 30/35): a public privacy notice per store, and for
 * admins who runs the cameras (the controller) and a records-of-processing / DPIA starter export.
 */
export const complianceRouter = createTRPCRouter({
  /** Public: anyone in the store may read what the cameras do. Unknown store: NOT_FOUND. */
  notice: publicProcedure.input(ZComplianceStoreInput).query(getPrivacyNotice),
  controller: adminProcedure.input(ZComplianceStoreInput).query(getController),
  updateController: adminProcedure.input(ZUpdateControllerInput).mutation(updateController),
  dpia: adminProcedure.input(ZDpiaInput).query(exportDpia),
});
