import { adminProcedure, createTRPCRouter } from "../trpc.ts";
import { auditLog } from "./admin/audit-log.handler.ts";
import { addMember, listMembers, removeMember, updateMember } from "./admin/members.handler.ts";
import { runRetention } from "./admin/retention.handler.ts";
import { getSettings, updateSettings } from "./admin/settings.handler.ts";
import { deleteThreshold, listThresholds, saveThreshold } from "./admin/thresholds.handler.ts";
import {
  ZAddMemberInput,
  ZAuditLogInput,
  ZDeleteThresholdInput,
  ZRemoveMemberInput,
  ZSaveThresholdInput,
  ZStoreInput,
  ZUpdateMemberInput,
  ZUpdateSettingsInput,
} from "./admin/schemas.ts";

/** A store's admin: rules, thresholds, retention, members and the audit log. Every change is audited. */
export const adminRouter = createTRPCRouter({
  settings: adminProcedure.input(ZStoreInput).query(getSettings),
  updateSettings: adminProcedure.input(ZUpdateSettingsInput).mutation(updateSettings),
  thresholds: adminProcedure.input(ZStoreInput).query(listThresholds),
  saveThreshold: adminProcedure.input(ZSaveThresholdInput).mutation(saveThreshold),
  deleteThreshold: adminProcedure.input(ZDeleteThresholdInput).mutation(deleteThreshold),
  members: adminProcedure.input(ZStoreInput).query(listMembers),
  addMember: adminProcedure.input(ZAddMemberInput).mutation(addMember),
  updateMember: adminProcedure.input(ZUpdateMemberInput).mutation(updateMember),
  removeMember: adminProcedure.input(ZRemoveMemberInput).mutation(removeMember),
  auditLog: adminProcedure.input(ZAuditLogInput).query(auditLog),
  runRetention: adminProcedure.input(ZStoreInput).mutation(runRetention),
});
