import type { Db } from "@shelf/db";
import {
  DEFAULT_QUESTIONS,
  parseTemplateQuestions,
  resolveTemplate,
  summarizeItemResponses,
  TemplateError,
  type ItemSurveySummary,
  type SurveyQuestions,
} from "@shelf/survey-engine";
import { NotFoundError } from "../../trpc.ts";
import type { ActiveSurveysInput, ItemSurveySummaryInput } from "./schemas.ts";
import { logger } from "../../logger.ts";
import { isSurveyActive } from "../../survey/invites.ts";

/** Responses read for one summary, newest first (a summary of the latest 2 000 is as readable as of all). */
const SUMMARY_MAX_RESPONSES = 2000;

async function storeBySlug(db: Db, slug: string) {
  const store = await db.store.findUnique({
    where: { slug },
    select: { id: true, name: true, slug: true, timezone: true },
  });
  if (!store) throw new NotFoundError(`store "${slug}"`);
  return store;
}

export interface ActiveSurvey {
  itemId: string;
  sku: string;
  name: string;
  category: string;
  /** When the open flag was raised. */
  flaggedAt: Date;
  responses: number;
  declined: number;
}

/** Items of a store whose survey is active (open flag), most recently flagged first, with response counts. */
export async function activeSurveys({ db, input }: { db: Db; input: ActiveSurveysInput }): Promise<{
  store: { id: string; name: string; slug: string; timezone: string };
  items: ActiveSurvey[];
}> {
  const store = await storeBySlug(db, input.storeSlug);
  const flags = await db.flag.findMany({
    where: { storeId: store.id, clearedAt: null },
    orderBy: { raisedAt: "desc" },
    include: { item: { select: { id: true, sku: true, name: true, category: true } } },
  });
  const seen = new Set<string>();
  const open = flags.filter((f) => !seen.has(f.itemId) && seen.add(f.itemId));
  const itemIds = open.map((f) => f.itemId);
  const [responses, declined] = await Promise.all([
    db.surveyResponse.groupBy({
      by: ["itemId"],
      where: { itemId: { in: itemIds }, invite: { storeId: store.id } },
      _count: { _all: true },
    }),
    db.surveyInvite.groupBy({
      by: ["itemId"],
      where: { itemId: { in: itemIds }, storeId: store.id, consent: { granted: false } },
      _count: { _all: true },
    }),
  ]);
  const count = (rows: { itemId: string; _count: { _all: number } }[], id: string) =>
    rows.find((r) => r.itemId === id)?._count._all ?? 0;
  return {
    store,
    items: open.map((f) => ({
      itemId: f.item.id,
      sku: f.item.sku,
      name: f.item.name,
      category: f.item.category,
      flaggedAt: f.raisedAt,
      responses: count(responses, f.itemId),
      declined: count(declined, f.itemId),
    })),
  };
}

/** The questions currently asked about an item (without creating a template, unlike an invite). */
async function currentQuestions(
  db: Db,
  item: { id: string; category: string },
): Promise<{ questions: SurveyQuestions; source: "item" | "category" | "default" }> {
  const templates = await db.surveyTemplate.findMany({
    where: { active: true, OR: [{ itemId: item.id }, { itemId: null, category: item.category }] },
  });
  const found = resolveTemplate(item, templates);
  if (!found) return { questions: DEFAULT_QUESTIONS, source: "default" };
  try {
    return {
      questions: parseTemplateQuestions(found.template.id, found.template.questions),
      source: found.source,
    };
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    logger().error({ err: err.message }, "survey configuration error");
    return { questions: DEFAULT_QUESTIONS, source: "default" };
  }
}

export interface ItemSurveySummaryResult {
  store: { id: string; name: string; slug: string; timezone: string };
  item: { id: string; sku: string; name: string; category: string };
  /** The item's survey is running in the store (flagged, or started by an operator; not stopped). */
  active: boolean;
  questions: SurveyQuestions;
  templateSource: "item" | "category" | "default";
  summary: ItemSurveySummary;
  /** True when only the newest SUMMARY_MAX_RESPONSES responses were summarised. */
  truncated: boolean;
}

/**
 * A merchandiser's one-minute read of an item's survey in a store. Contains shoppers' free text (as
 * example answers): render it as text (React escapes it), never as HTML.
 */
export async function itemSurveySummary({
  db,
  input,
}: {
  db: Db;
  input: ItemSurveySummaryInput;
}): Promise<ItemSurveySummaryResult> {
  const store = await storeBySlug(db, input.storeSlug);
  const item = await db.item.findUnique({
    where: { id: input.itemId },
    select: { id: true, sku: true, name: true, category: true },
  });
  if (!item) throw new NotFoundError(`item "${input.itemId}"`);
  const [current, active, rows, declined] = await Promise.all([
    currentQuestions(db, item),
    isSurveyActive(db, store.id, item.id),
    db.surveyResponse.findMany({
      where: { itemId: item.id, invite: { storeId: store.id } },
      orderBy: { createdAt: "desc" },
      take: SUMMARY_MAX_RESPONSES + 1,
      select: { id: true, answers: true, rating: true, freeText: true, sentiment: true, topics: true },
    }),
    db.consent.count({ where: { granted: false, invite: { storeId: store.id, itemId: item.id } } }),
  ]);
  const truncated = rows.length > SUMMARY_MAX_RESPONSES;
  return {
    store,
    item,
    active,
    questions: current.questions,
    templateSource: current.source,
    summary: summarizeItemResponses({
      questions: current.questions,
      responses: truncated ? rows.slice(0, SUMMARY_MAX_RESPONSES) : rows,
      declined,
    }),
    truncated,
  };
}
