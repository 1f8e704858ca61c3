import { Prisma, type Db } from "@shelf/db";
import {
  DEFAULT_QUESTIONS,
  parseTemplateQuestions,
  resolveTemplate,
  summarizeItemResponses,
  TemplateError,
  type SurveyQuestions,
} from "@shelf/survey-engine";
import { logger } from "../../logger.ts";
import { Cell, type RollupSums } from "../../reports/cell.ts";
import { snapToStoreDays, startOfStoreDay } from "../../reports/day-range.ts";
import type { DateRange } from "../../reports/range.ts";
import { sumsByItemDay } from "../../reports/rollups.ts";
import { storeRules, type StoreRules } from "../../reports/rules.ts";
import type { StoreContext } from "../../trpc.ts";
import { listFlags, type WorkflowFlag } from "../flags/list.handler.ts";
import type { FlagStatus } from "../flags/workflow.ts";
import { itemSummaries, type ItemSummary } from "../reports/item-summaries.handler.ts";
import {
  dailyRates,
  daysBetween,
  rankByLowerBound,
  rateChange,
  topReason,
  type Rate,
  type TopReason,
} from "./ranking.ts";
import type { StoreOverviewInput } from "./schemas.ts";

const DAY_MS = 86_400_000;
/** Survey responses read per product for its top reason (newest first). */
const REASON_RESPONSES = 500;

export interface OverviewProduct {
  itemId: string;
  sku: string;
  name: string;
  category: string;
  /** Interactions in the current period. */
  n: number;
  /** Negative interactions in the current period. */
  negatives: number;
  /** The current period's negative-expression rate with its 95 % interval. */
  rejection: Rate;
  /** The previous period's (null: fewer than k interactions, or none). */
  previous: (Rate & { n: number }) | null;
  /** Current − previous (rate units); null when either period is hidden. */
  change: { rate: number; lower: number } | null;
  /** Rate per day of the current period (`StoreOverview.days`), null where hidden or empty. */
  spark: (number | null)[];
  /** The product's open flag, if any. */
  flag: { flagId: string; status: FlagStatus } | null;
  /** What survey respondents most often said (null under k responses). */
  reason: TopReason | null;
}

export interface StoreOverview {
  store: StoreContext["store"];
  k: number;
  /** The current period (whole store days, the last one is today) and the previous one of the same length. */
  range: DateRange;
  previousRange: DateRange;
  /** Store-local days of the current period, `YYYY-MM-DD` (the sparklines' x axis). */
  days: string[];
  /** The top products by the lower bound of their negative-expression rate. */
  products: OverviewProduct[];
  /** Products with interactions in the period whose rate is hidden (fewer than k): not ranked. */
  hiddenProducts: number;
  /** Open flags by workflow state, most certain first (see flags/workflow.ts). */
  flags: {
    new: WorkflowFlag[];
    acknowledged: WorkflowFlag[];
    resolvedOpen: WorkflowFlag[];
  };
}

/** One `YYYY-MM-DD` formatter per time zone (building one costs far more than formatting with it). */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** The store-local day of an instant, `YYYY-MM-DD`. */
export function localDay(at: Date, timeZone: string): string {
  let f = dayFormats.get(timeZone);
  if (!f)
    dayFormats.set(
      timeZone,
      (f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" })),
    );
  return f.format(at);
}

/**
 * The current period (the last `days` store days, today included) and the one before it, of the same length.
 * Days are 23–25 h around DST changes: boundaries are found from noon, never by adding 24 h to a midnight.
 */
export function overviewPeriods(
  now: number,
  days: number,
  timeZone: string,
): { current: DateRange; previous: DateRange } {
  const current = snapToStoreDays(
    { from: new Date(now - (days - 1) * DAY_MS), to: new Date(now + 1) },
    timeZone,
  );
  const previousFrom = startOfStoreDay(
    new Date(current.from.getTime() - days * DAY_MS + DAY_MS / 2),
    timeZone,
  );
  return { current, previous: { from: previousFrom, to: current.from } };
}

/** The questions currently asked about each item (its own template, its category's, or the default). */
async function questionsFor(
  db: Db,
  items: { id: string; category: string }[],
): Promise<Map<string, SurveyQuestions>> {
  const templates = await db.surveyTemplate.findMany({
    where: {
      active: true,
      OR: [
        { itemId: { in: items.map((i) => i.id) } },
        { itemId: null, category: { in: items.map((i) => i.category) } },
      ],
    },
  });
  const out = new Map<string, SurveyQuestions>();
  for (const item of items) {
    const found = resolveTemplate(item, templates);
    let questions = DEFAULT_QUESTIONS;
    if (found)
      try {
        questions = parseTemplateQuestions(found.template.id, found.template.questions);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        logger().error({ err: err.message }, "survey configuration error");
      }
    out.set(item.id, questions);
  }
  return out;
}

/** Key of a store's product in the maps below. */
export const storeItemKey = (storeId: string, itemId: string) => `${storeId}\u0000${itemId}`;

/**
 * The top survey reason of each of these products in its store (null under the store's k responses), from
 * the newest {@link REASON_RESPONSES} responses of each: one read of their ids (per product, newest first,
 * as one `findMany … take` each would pick them) and one of the responses, for any number of stores.
 * Keyed by {@link storeItemKey}.
 */
export async function reasonsFor(
  db: Db,
  wanted: readonly { storeId: string; item: { id: string; category: string }; k: number }[],
): Promise<Map<string, TopReason | null>> {
  const out = new Map<string, TopReason | null>();
  if (wanted.length === 0) return out;
  const [questions, picked] = await Promise.all([
    questionsFor(db, [...new Map(wanted.map((w) => [w.item.id, w.item])).values()]),
    db.$queryRaw<{ id: string }[]>`
      SELECT x.id FROM (VALUES ${Prisma.join(wanted.map((w) => Prisma.sql`(${w.storeId}, ${w.item.id})`))}) p(store_id, item_id)
      CROSS JOIN LATERAL (
        SELECT r.id FROM "SurveyResponse" r JOIN "SurveyInvite" v ON v.id = r."inviteId"
        WHERE r."itemId" = p.item_id AND v."storeId" = p.store_id
        ORDER BY r."createdAt" DESC LIMIT ${REASON_RESPONSES}
      ) x`,
  ]);
  const responses = picked.length
    ? await db.surveyResponse.findMany({
        where: { id: { in: picked.map((r) => r.id) } },
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          itemId: true,
          answers: true,
          rating: true,
          freeText: true,
          sentiment: true,
          topics: true,
          invite: { select: { storeId: true } },
        },
      })
    : [];
  const byKey = new Map<string, typeof responses>();
  for (const r of responses) {
    const key = storeItemKey(r.invite.storeId, r.itemId);
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  for (const w of wanted) {
    const summary = summarizeItemResponses({
      questions: questions.get(w.item.id)!,
      responses: byKey.get(storeItemKey(w.storeId, w.item.id)) ?? [],
      declined: 0,
    });
    out.set(storeItemKey(w.storeId, w.item.id), topReason(summary, w.k));
  }
  return out;
}

/** What a ranked product of one store is shown with; the store's reads, keyed by item id. */
export interface OverviewReads {
  rules: StoreRules;
  /** The current period's days (`StoreOverview.days`). */
  days: string[];
  /** The previous period's summaries. */
  previous: ReadonlyMap<string, ItemSummary>;
  /** Each product's cells per day of the current period. */
  dayCells: ReadonlyMap<string, ReadonlyMap<string, Cell>>;
  /** Open flags. */
  flags: ReadonlyMap<string, { flagId: string; status: FlagStatus }>;
  /** Top survey reasons, keyed by {@link storeItemKey}. */
  reasons: ReadonlyMap<string, TopReason | null>;
}

/** A ranked product as the overview shows it (pure; the store and chain overviews share it). */
export function overviewProduct(
  storeId: string,
  r: ItemSummary & { rejection: Rate & { negatives: number } },
  reads: OverviewReads,
): OverviewProduct {
  const p = reads.previous.get(r.itemId);
  const previousRate = p?.rejection ? { ...p.rejection, n: p.n } : null;
  const flag = reads.flags.get(r.itemId);
  return {
    itemId: r.itemId,
    sku: r.sku,
    name: r.name,
    category: r.category,
    n: r.n,
    negatives: r.rejection.negatives,
    rejection: { rate: r.rejection.rate, lower: r.rejection.lower, upper: r.rejection.upper },
    previous: previousRate,
    change: rateChange(r.rejection, previousRate),
    spark: dailyRates(reads.days, reads.dayCells.get(r.itemId) ?? new Map(), reads.rules, r.n),
    flag: flag ? { flagId: flag.flagId, status: flag.status } : null,
    reason: reads.reasons.get(storeItemKey(storeId, r.itemId)) ?? null,
  };
}

/** Cells per item and day from `sumsByItemDay`'s rows. */
export function dayCellsOf(
  rows: readonly (RollupSums & { itemId: string; label: string })[],
): Map<string, Map<string, Cell>> {
  const cellsOf = new Map<string, Map<string, Cell>>();
  for (const row of rows) {
    let cells = cellsOf.get(row.itemId);
    if (!cells) cellsOf.set(row.itemId, (cells = new Map()));
    let c = cells.get(row.label);
    if (!c) cells.set(row.label, (c = new Cell()));
    c.add(row);
  }
  return cellsOf;
}

/**
 * What needs attention in a store now: the products most certainly drawing negative expressions over the
 * last `days` days (by the lower bound of the rate's 95 % interval), each with the change from the previous
 * period of the same length, a daily sparkline, its flag and its top survey reason; and the open flags by
 * workflow state. Everything is read from the hourly rollups under the reports' k rules: a product's rate
 * is shown exactly when the Products page shows it (same complementary suppression), sparkline days are
 * suppressed as complements of the product's total, and survey reasons need k responses.
 */
export async function storeOverview(
  { ctx, input }: { ctx: Pick<StoreContext, "db" | "store">; input: StoreOverviewInput },
  now = Date.now(),
): Promise<StoreOverview> {
  const { db, store } = ctx;
  const { current, previous } = overviewPeriods(now, input.days, store.timezone);
  const [rules, cur, prev, dayRows, flags] = await Promise.all([
    storeRules(db, store.id),
    itemSummaries({ ctx, input: { storeSlug: store.slug, ...current } }),
    itemSummaries({ ctx, input: { storeSlug: store.slug, ...previous } }),
    sumsByItemDay(db, { storeId: store.id, ...current }, store.timezone),
    listFlags({ ctx, input: { storeSlug: store.slug, clearedWithinDays: 0 } }),
  ]);
  const days = daysBetween(
    localDay(current.from, store.timezone),
    localDay(new Date(current.to.getTime() - 1), store.timezone),
  );
  const ranked = rankByLowerBound(cur.items).slice(0, input.limit);
  const reads: OverviewReads = {
    rules,
    days,
    previous: new Map(prev.items.map((p) => [p.itemId, p])),
    dayCells: dayCellsOf(dayRows),
    flags: new Map(flags.open.map((f) => [f.item.id, f])),
    reasons: await reasonsFor(
      db,
      ranked.map((r) => ({ storeId: store.id, item: { id: r.itemId, category: r.category }, k: rules.k })),
    ),
  };
  const products = ranked.map((r) => overviewProduct(store.id, r, reads));
  return {
    store,
    k: rules.k,
    range: current,
    previousRange: previous,
    days,
    products,
    hiddenProducts: cur.items.filter((i) => i.hidden).length,
    flags: {
      new: flags.open.filter((f) => f.status === "new"),
      acknowledged: flags.open.filter((f) => f.status === "acknowledged"),
      resolvedOpen: flags.open.filter((f) => f.status === "resolved-open"),
    },
  };
}
