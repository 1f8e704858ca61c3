import { z } from "zod";
import { ZWebhookAllowlist, ZWebhookUrl } from "@shelf/core";
import { hasNoControlCharacters } from "../../display-name.ts";
import { ZEmail } from "../admin/schemas.ts";
import { ZStoreSlug } from "../../trpc.ts";

const ZId = z.string().min(1).max(64);

export const ZFlagListInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** Also list flags the worker cleared within this many days (default 30). */
    clearedWithinDays: z.number().int().min(0).max(366).default(30),
  })
  .strict();
export type FlagListInput = z.infer<typeof ZFlagListInput>;

/** acknowledge, resolve, reopen: one flag of the store. */
export const ZFlagActionInput = z.object({ storeSlug: ZStoreSlug, flagId: ZId }).strict();
export type FlagActionInput = z.infer<typeof ZFlagActionInput>;

/** Longest note, characters. */
export const MAX_FLAG_NOTE = 1000;

export const ZFlagNoteInput = z
  .object({
    storeSlug: ZStoreSlug,
    flagId: ZId,
    /** Replaces the flag's note; empty removes it. Line breaks are allowed, other control characters not. */
    note: z
      .string()
      .trim()
      .max(MAX_FLAG_NOTE)
      .refine((s) => hasNoControlCharacters(s.replace(/\r?\n/g, " ")), "must not contain control characters"),
  })
  .strict();
export type FlagNoteInput = z.infer<typeof ZFlagNoteInput>;

export const ZAlertSettingsInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type AlertSettingsInput = z.infer<typeof ZAlertSettingsInput>;

export const ZUpdateAlertSettingsInput = z
  .object({
    storeSlug: ZStoreSlug,
    enabled: z.boolean(),
    /** Who gets an e-mail per raised flag (at most 20). */
    emailRecipients: z.array(ZEmail).max(20),
    /** null: no webhook. */
    webhookUrl: ZWebhookUrl.nullable(),
    /** Hosts, IPs and CIDRs the webhook may reach over http or at private addresses. */
    webhookAllowlist: ZWebhookAllowlist,
  })
  .strict();
export type UpdateAlertSettingsInput = z.infer<typeof ZUpdateAlertSettingsInput>;
