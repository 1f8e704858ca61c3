import { z } from "zod";
import { ZStoreSlug } from "../../trpc.ts";

export const ZComplianceStoreInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type ComplianceStoreInput = z.infer<typeof ZComplianceStoreInput>;

/** Optional free text: trimmed, and empty means "not set" (null). */
const optionalText = (max: number, field: string) =>
  z
    .string()
    .trim()
    .max(max, `${field}: at most ${max} characters`)
    .transform((s) => (s === "" ? null : s))
    .nullable();

/** Who runs the cameras in a store, as shown on its privacy notice, sign and DPIA. */
export const ZUpdateControllerInput = z
  .object({
    storeSlug: ZStoreSlug,
    /** The controller's legal name, e.g. "Example Markets GmbH". */
    controllerName: optionalText(200, "controller name"),
    /** How people reach the controller about their data: postal address, e-mail, web form. */
    controllerContact: optionalText(1000, "contact"),
    /** The data protection officer's contact; empty where there is none. */
    dpoContact: optionalText(500, "data protection officer"),
  })
  .strict();
export type UpdateControllerInput = z.infer<typeof ZUpdateControllerInput>;

/** The DPIA export: the origin the public notice is reached at (for its link in the document). */
export const ZDpiaInput = z
  .object({
    storeSlug: ZStoreSlug,
    publicOrigin: z
      .string()
      .url("public origin: a URL such as https://shop.example")
      .regex(/^https?:\/\/[^/]+$/, "public origin: scheme and host only, e.g. https://shop.example"),
  })
  .strict();
export type DpiaInput = z.infer<typeof ZDpiaInput>;
