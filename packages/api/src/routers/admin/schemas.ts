import { z } from "zod";
import { THRESHOLD_LEVELS, ZExpression } from "@shelf/core";
import { ZStoreSlug } from "../../trpc.ts";
import { ZDisplayName } from "../../display-name.ts";
import { MIN_PASSWORD_LENGTH } from "../../auth/config.ts";
import { canonicalTimeZone, isStoreTimeZone } from "../../time-zones.ts";

export const ZId = z.string().min(1).max(64);

/** A time zone from the list the settings form offers (`storeTimeZones`: this runtime's IANA zones and UTC). */
export const ZTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isStoreTimeZone, "Choose a time zone from the list (e.g. Europe/Berlin)")
  // Saved as the list spells it (an alias or other casing would not match the picker).
  .transform((tz) => canonicalTimeZone(tz) ?? tz);

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

/** Thresholds are fractions on the wire and percentages on the form: the message speaks the form's unit. */
const PERCENT_MESSAGE = "Enter a percentage between 0 and 100";

export const ZSaveThresholdInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** Update this rule; absent: create (or update the store's rule with the same level and key). */
    id: ZId.optional(),
    level: z.enum(THRESHOLD_LEVELS),
    category: z.string().trim().min(1).max(100).nullable().default(null),
    itemId: ZId.nullable().default(null),
    /** 0–1; the form enters it as a percentage. */
    threshold: z
      .number({ error: PERCENT_MESSAGE })
      .gt(0, { error: PERCENT_MESSAGE })
      .lt(1, { error: PERCENT_MESSAGE }),
    /** 0–0.5; the form enters it as a percentage. */
    hysteresis: z
      .number({ error: "Enter a percentage between 0 and 50" })
      .min(0, { error: "Enter a percentage between 0 and 50" })
      .max(0.5, { error: "Enter a percentage between 0 and 50" })
      .default(0.05),
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
