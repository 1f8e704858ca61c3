import type { Db } from "@shelf/db";
import {
  DEFAULT_QUESTIONS,
  parseTemplateQuestions,
  resolveTemplate,
  summarizeItemResponses,
  TemplateError,
  type SurveyQuestions,
} from "@shelf/survey-engine";
import { logger } from "../../logger.ts";
import { Cell } from "../../reports/cell.ts";
import { snapToStoreDays, startOfStoreDay } from "../../reports/day-range.ts";
import type { DateRange } from "../../reports/range.ts";
import { sumsByItemDay } from "../../reports/rollups.ts";
import { storeRules } from "../../reports/rules.ts";
import type { StoreContext } from "../../trpc.ts";
import { listFlags, type WorkflowFlag } from "../flags/list.handler.ts";
import type { FlagStatus } from "../flags/workflow.ts";
import { itemSummaries } from "../reports/item-summaries.handler.ts";
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

function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(at);
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

/** The top survey reason of each item in the store (null under k responses). */
async function reasonsFor(
  db: Db,
  storeId: string,
  items: { id: string; category: string }[],
  k: number,
): Promise<Map<string, TopReason | null>> {
  const questions = await questionsFor(db, items);
  const out = new Map<string, TopReason | null>();
  await Promise.all(
    items.map(async (item) => {
      const responses = await db.surveyResponse.findMany({
        where: { itemId: item.id, invite: { storeId } },
        orderBy: { createdAt: "desc" },
        take: REASON_RESPONSES,
        select: { id: true, answers: true, rating: true, freeText: true, sentiment: true, topics: true },
      });
      const summary = summarizeItemResponses({ questions: questions.get(item.id)!, responses, declined: 0 });
      out.set(item.id, topReason(summary, k));
    }),
  );
  return out;
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
  const prevOf = new Map(prev.items.map((p) => [p.itemId, p]));
  const cellsOf = new Map<string, Map<string, Cell>>();
  for (const row of dayRows) {
    let cells = cellsOf.get(row.itemId);
    if (!cells) cellsOf.set(row.itemId, (cells = new Map()));
    let c = cells.get(row.label);
    if (!c) cells.set(row.label, (c = new Cell()));
    c.add(row);
  }
  const flagOf = new Map(flags.open.map((f) => [f.item.id, f]));
  const reasons = await reasonsFor(
    db,
    store.id,
    ranked.map((r) => ({ id: r.itemId, category: r.category })),
    rules.k,
  );
  const products: OverviewProduct[] = ranked.map((r) => {
    const p = prevOf.get(r.itemId);
    const previousRate = p?.rejection ? { ...p.rejection, n: p.n } : null;
    const flag = flagOf.get(r.itemId);
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
      spark: dailyRates(days, cellsOf.get(r.itemId) ?? new Map(), rules, r.n),
      flag: flag ? { flagId: flag.flagId, status: flag.status } : null,
      reason: reasons.get(r.itemId) ?? null,
    };
  });
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
