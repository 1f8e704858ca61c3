import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";

export const ZId = z.string().min(1).max(64);

export const ZCreateKioskInput = z
  .object({
    storeSlug: ZStoreSlug,
    name: z.string().trim().min(1, "name: give the kiosk a name").max(100),
    /** The shelf zone whose shoppers the kiosk asks; null: none yet. */
    zoneId: ZId.nullable().default(null),
  })
  .strict();
export type CreateKioskInput = z.infer<typeof ZCreateKioskInput>;

export const ZKioskInput = z.object({ storeSlug: ZStoreSlug, kioskId: ZId }).strict();
export type KioskInput = z.infer<typeof ZKioskInput>;
