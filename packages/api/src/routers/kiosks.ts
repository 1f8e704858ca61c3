import { adminProcedure, createTRPCRouter } from "../trpc.ts";
import { surveyConfig } from "../survey/config.ts";
import { webEnv } from "../env.ts";
import { createKiosk, listKiosks, newPairingCode, revokeKiosk } from "./kiosks/kiosks.handler.ts";
import { ZCreateKioskInput, ZKioskInput } from "./kiosks/schemas.ts";
import { ZStoreInput } from "./admin/schemas.ts";

const secret = () => surveyConfig(webEnv()).secret;

/** Admins: a store's kiosk tablets — create one (with a one-time pairing code), re-pair, revoke. Audited. */
export const kiosksRouter = createTRPCRouter({
  list: adminProcedure.input(ZStoreInput).query(listKiosks),
  create: adminProcedure
    .input(ZCreateKioskInput)
    .mutation(({ ctx, input }) => createKiosk({ ctx, input, secret: secret() })),
  pairingCode: adminProcedure
    .input(ZKioskInput)
    .mutation(({ ctx, input }) => newPairingCode({ ctx, input, secret: secret() })),
  revoke: adminProcedure.input(ZKioskInput).mutation(revokeKiosk),
});
