import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";
import { ZDisplayName } from "../../display-name.ts";
import { ZEmail, ZId, ZPassword, ZPersonName, ZTimeZone } from "../admin/schemas.ts";

export const ZCreateStoreInput = z
  .object({
    slug: ZStoreSlug,
    name: ZDisplayName(100),
    timezone: ZTimeZone,
    /** The first floor plan, metres. */
    floorPlan: z
      .object({
        name: ZDisplayName(100),
        widthM: z.number().positive().max(10_000),
        heightM: z.number().positive().max(10_000),
      })
      .strict(),
  })
  .strict();
export type CreateStoreInput = z.infer<typeof ZCreateStoreInput>;

export const ZCreateUserInput = z
  .object({ email: ZEmail, name: ZPersonName, password: ZPassword, isSuperAdmin: z.boolean().default(false) })
  .strict();
export type CreateUserInput = z.infer<typeof ZCreateUserInput>;

export const ZSetSuperAdminInput = z.object({ userId: ZId, isSuperAdmin: z.boolean() }).strict();
export type SetSuperAdminInput = z.infer<typeof ZSetSuperAdminInput>;

export const ZResetPasswordInput = z.object({ userId: ZId, password: ZPassword }).strict();
export type ResetPasswordInput = z.infer<typeof ZResetPasswordInput>;
