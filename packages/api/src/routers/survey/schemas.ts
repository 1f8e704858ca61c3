import { z } from "zod";
import { ZSurveyQuestions } from "@shelf/survey-engine";
import { ZStoreSlug } from "../../trpc.ts";

const ZId = z.string().min(1).max(64);

export const ZActiveSurveysInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type ActiveSurveysInput = z.infer<typeof ZActiveSurveysInput>;

export const ZItemSurveySummaryInput = z.object({ storeSlug: ZStoreSlug, itemId: ZId }).strict();
export type ItemSurveySummaryInput = z.infer<typeof ZItemSurveySummaryInput>;

/** What a template applies to: one product (its own questions) or every product of a category. */
export const ZTemplateTarget = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("item"), itemId: ZId }).strict(),
  z.object({ kind: z.literal("category"), category: z.string().trim().min(1).max(100) }).strict(),
]);
export type TemplateTarget = z.infer<typeof ZTemplateTarget>;

export const ZTemplatesInput = z.object({ storeSlug: ZStoreSlug }).strict();
export type TemplatesInput = z.infer<typeof ZTemplatesInput>;

/**
 * Create (no `id`) or edit a question template. `questions` is checked against the survey engine's
 * `ZSurveyQuestions` in the handler (the same schema invites read), so a template that saves is one that
 * shoppers can answer.
 */
export const ZSaveTemplateInput = z
  .object({
    storeSlug: ZStoreSlug,
    id: ZId.optional(),
    target: ZTemplateTarget,
    questions: ZSurveyQuestions,
    /** Default true. An inactive template is kept (its answers stay readable) but no longer asked. */
    active: z.boolean().default(true),
  })
  .strict();
export type SaveTemplateInput = z.infer<typeof ZSaveTemplateInput>;

export const ZSurveyItemInput = z.object({ storeSlug: ZStoreSlug, itemId: ZId }).strict();
export type SurveyItemInput = z.infer<typeof ZSurveyItemInput>;

/**
 * Start (`true`) or stop (`false`) an item's survey in the store, or hand it back to the flag (`null`: it
 * runs while the item is flagged).
 */
export const ZSetRunningInput = z
  .object({ storeSlug: ZStoreSlug, itemId: ZId, running: z.boolean().nullable() })
  .strict();
export type SetRunningInput = z.infer<typeof ZSetRunningInput>;
