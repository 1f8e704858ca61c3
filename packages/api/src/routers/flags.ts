import { adminProcedure, createTRPCRouter, merchandiserProcedure } from "../trpc.ts";
import { acknowledgeFlag, noteFlag, reopenFlag, resolveFlag } from "./flags/actions.handler.ts";
import { alertSettings, rotateWebhookSecret, updateAlertSettings } from "./flags/alert-settings.handler.ts";
import { listFlags } from "./flags/list.handler.ts";
import {
  ZAlertSettingsInput,
  ZFlagActionInput,
  ZFlagListInput,
  ZFlagNoteInput,
  ZUpdateAlertSettingsInput,
} from "./flags/schemas.ts";

/**
 * The people's side of flags (the worker alone raises and clears them; `flags/workflow.ts` says how the two
 * meet): acknowledge, note, resolve, reopen — merchandisers and admins, each step audited — and where a
 * store's flag alerts go (admins).
 */
export const flagsRouter = createTRPCRouter({
  list: merchandiserProcedure.input(ZFlagListInput).query(listFlags),
  acknowledge: merchandiserProcedure.input(ZFlagActionInput).mutation(acknowledgeFlag),
  note: merchandiserProcedure.input(ZFlagNoteInput).mutation(noteFlag),
  resolve: merchandiserProcedure.input(ZFlagActionInput).mutation(resolveFlag),
  reopen: merchandiserProcedure.input(ZFlagActionInput).mutation(reopenFlag),
  alertSettings: adminProcedure.input(ZAlertSettingsInput).query(alertSettings),
  updateAlertSettings: adminProcedure
    .input(ZUpdateAlertSettingsInput)
    .mutation((opts) => updateAlertSettings(opts)),
  rotateWebhookSecret: adminProcedure.input(ZAlertSettingsInput).mutation(rotateWebhookSecret),
});
