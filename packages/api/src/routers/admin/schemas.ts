import { z } from "zod";
import { THRESHOLD_LEVELS, ZExpression } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";
import { ZDisplayName } from "../../display-name.ts";
import { MIN_PASSWORD_LENGTH } from "../../auth/config.ts";

export const ZId = z.string().min(1).max(64);

/** An IANA time zone this runtime knows (the database knows the same names). */
export const ZTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat("en", { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, "unknown time zone (use an IANA name such as Europe/Berlin)");

export const ZRole = z.enum(["merchandiser", "staff", "admin"]);
export const ZEmail = z.string().trim().toLowerCase().email().max(254);
export const ZPassword = z.string().min(MIN_PASSWORD_LENGTH).max(128);
export const ZPersonName = ZDisplayName(100);

export const ZStoreInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type StoreInput = z.infer<typeof ZStoreInput>;

export const ZUpdateSettingsInput = z
  .object({
    storeSlug: ZStoreSlug,
    name: ZDisplayName(100).optional(),
    timezone: ZTimeZone.optional(),
    /** Dominant expressions that count as a rejection; at least one. */
    negativeExpressions: z.array(ZExpression).min(1).max(7).optional(),
    includeHesitation: z.boolean().optional(),
    /** Rolling window of rejection scores, hours (1 h … 90 days). */
    scoreWindowHours: z.number().int().min(1).max(2160).optional(),
    /** Least interactions before an item is flagged or cleared. */
    minSample: z.number().int().min(1).max(1_000_000).optional(),
    /** Reports hide cells with fewer interactions than this. */
    kAnonymity: z.number().int().min(1).max(1000).optional(),
    /** Interactions and survey responses older than this are deleted, days. */
    retentionDays: z.number().int().min(1).max(3650).optional(),
    /** s */
    surveyCooldownKioskS: z.number().int().min(0).max(86_400).optional(),
    /** s */
    surveyCooldownItemS: z.number().int().min(0).max(86_400).optional(),
  })
  .strict();
export type UpdateSettingsInput = z.infer<typeof ZUpdateSettingsInput>;

export const ZSaveThresholdInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** Update this rule; absent: create (or update the store's rule with the same level and key). */
    id: ZId.optional(),
    level: z.enum(THRESHOLD_LEVELS),
    category: z.string().trim().min(1).max(100).nullable().default(null),
    itemId: ZId.nullable().default(null),
    threshold: z.number().gt(0).lt(1),
    hysteresis: z.number().min(0).max(0.5).default(0.05),
    minSample: z.number().int().min(1).max(1_000_000).nullable().default(null),
  })
  .strict();
export type SaveThresholdInput = z.infer<typeof ZSaveThresholdInput>;

export const ZDeleteThresholdInput = z.object({ storeSlug: ZStoreSlug, id: ZId }).strict();
export type DeleteThresholdInput = z.infer<typeof ZDeleteThresholdInput>;

export const ZAddMemberInput = z
  .object({
    storeSlug: ZStoreSlug,
    email: ZEmail,
    role: ZRole,
    /** For a new account: its name and first password (tell them to change it). */
    name: ZPersonName.optional(),
    password: ZPassword.optional(),
  })
  .strict();
export type AddMemberInput = z.infer<typeof ZAddMemberInput>;

export const ZUpdateMemberInput = z
  .object({ storeSlug: ZStoreSlug, membershipId: ZId, role: ZRole })
  .strict();
export type UpdateMemberInput = z.infer<typeof ZUpdateMemberInput>;

export const ZRemoveMemberInput = z.object({ storeSlug: ZStoreSlug, membershipId: ZId }).strict();
export type RemoveMemberInput = z.infer<typeof ZRemoveMemberInput>;

export const ZAuditLogInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** The id of the last entry of the previous page. */
    cursor: ZId.optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict();
export type AuditLogInput = z.infer<typeof ZAuditLogInput>;
