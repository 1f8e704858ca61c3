import type { Prisma } from "@shelf/db";
import {
  parseTemplateQuestions,
  resolveTemplate,
  TemplateError,
  type SurveyQuestions,
} from "@shelf/survey-engine";
import { writeAudit } from "../../audit.ts";
import { logger } from "../../logger.ts";
import { currentShelfSign, replaceShelfSign } from "../../survey/shelf-qr.ts";
import { DomainRuleError, NotFoundError, type StoreContext } from "../../trpc.ts";
import { storeCatalogue } from "../zones/zones.handler.ts";
import type { SaveTemplateInput, SetRunningInput, SurveyItemInput, TemplatesInput } from "./schemas.ts";

type Ctx = Pick<StoreContext, "db" | "store" | "user">;

/**
 * A sign's date and time as the store's clock shows it, with the zone named (signs and the Surveys tab
 * speak store time, like every report), e.g. "1 Dec 2026, 09:05 (America/New_York)".
 */
export function signDateTime(d: Date, timeZone: string): string {
  const text = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }).format(
    d,
  );
  return `${text} (${timeZone})`;
}

async function catalogue(ctx: Ctx) {
  return ctx.db.item.findMany({
    where: storeCatalogue(ctx.store.id, ctx.user.isSuperAdmin),
    orderBy: { name: "asc" },
    select: { id: true, sku: true, name: true, category: true },
  });
}

/**
 * A product of the store's catalogue (or flagged in the store, though since taken off its shelves), else
 * NotFoundError (other stores' products stay out of sight).
 */
async function catalogueItem(ctx: Ctx, itemId: string) {
  const item = await ctx.db.item.findFirst({
    where: {
      AND: [
        { id: itemId },
        {
          OR: [
            storeCatalogue(ctx.store.id, ctx.user.isSuperAdmin),
            { flags: { some: { storeId: ctx.store.id } } },
          ],
        },
      ],
    },
    select: { id: true, sku: true, name: true, category: true },
  });
  if (!item) throw new NotFoundError(`item "${itemId}"`);
  return item;
}

export interface TemplateView {
  id: string;
  /** "item": one product's own questions; "category": every product of the category without its own. */
  scope: "item" | "category";
  item: { id: string; name: string; sku: string } | null;
  category: string | null;
  active: boolean;
  updatedAt: Date;
  /** null when the stored JSON no longer satisfies the question model (`problem` says why). */
  questions: SurveyQuestions | null;
  problem: string | null;
  /** Invitations that asked this template (answers keep pointing at it, so it is never deleted). */
  invites: number;
}

/**
 * The question templates that apply to this store's products: their own templates and their categories'.
 * Templates are shared by every store that has the product (the data model has no per-store template).
 */
export async function listTemplates({ ctx }: { ctx: Ctx; input: TemplatesInput }): Promise<{
  templates: TemplateView[];
  items: { id: string; sku: string; name: string; category: string }[];
  categories: string[];
}> {
  const items = await catalogue(ctx);
  const categories = [...new Set(items.map((i) => i.category))].sort();
  const rows = await ctx.db.surveyTemplate.findMany({
    where: {
      OR: [{ itemId: { in: items.map((i) => i.id) } }, { itemId: null, category: { in: categories } }],
    },
    orderBy: [{ category: "asc" }, { updatedAt: "desc" }],
    include: {
      item: { select: { id: true, name: true, sku: true } },
      _count: { select: { invites: true } },
    },
  });
  const templates = rows.map((t): TemplateView => {
    let questions: SurveyQuestions | null = null;
    let problem: string | null = null;
    try {
      questions = parseTemplateQuestions(t.id, t.questions);
    } catch (err) {
      if (!(err instanceof TemplateError)) throw err;
      problem = err.issues.join("; ");
    }
    return {
      id: t.id,
      scope: t.itemId ? "item" : "category",
      item: t.item,
      category: t.itemId ? null : t.category,
      active: t.active,
      updatedAt: t.updatedAt,
      questions,
      problem,
      invites: t._count.invites,
    };
  });
  return { templates, items, categories };
}

/**
 * Creates or edits a question template for one of the store's products or categories (the questions
 * already passed the survey engine's schema at the input). Audited with the questions before and after
 * (operators' prompts, never shoppers' words).
 */
export async function saveTemplate({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SaveTemplateInput;
}): Promise<{ id: string }> {
  const { db, store, user } = ctx;
  let target: { itemId: string | null; category: string | null };
  if (input.target.kind === "item") {
    const item = await catalogueItem(ctx, input.target.itemId);
    target = { itemId: item.id, category: item.category };
  } else {
    const category = input.target.category;
    const known = await db.item.findFirst({
      where: { AND: [{ category }, storeCatalogue(store.id, user.isSuperAdmin)] },
      select: { id: true },
    });
    if (!known)
      throw new DomainRuleError(`No product of this store is in the category "${category}".`, [
        "target",
        "category",
      ]);
    target = { itemId: null, category };
  }
  const data = {
    itemId: target.itemId,
    category: target.category,
    questions: input.questions as unknown as Prisma.InputJsonValue,
    active: input.active,
  };
  return db.$transaction(async (tx) => {
    if (!input.id) {
      const created = await tx.surveyTemplate.create({ data, select: { id: true } });
      await writeAudit(tx, {
        storeId: store.id,
        userId: user.id,
        action: "surveyTemplate.create",
        entity: "SurveyTemplate",
        entityId: created.id,
        after: data,
      });
      return created;
    }
    const before = await tx.surveyTemplate.findUnique({
      where: { id: input.id },
      select: { itemId: true, category: true, questions: true, active: true },
    });
    // Only a template of this store's products may be edited from this store.
    const mine =
      before &&
      (before.itemId
        ? (await tx.item.count({
            where: { AND: [{ id: before.itemId }, storeCatalogue(store.id, user.isSuperAdmin)] },
          })) > 0
        : (await tx.item.count({
            where: {
              AND: [{ category: before.category ?? "" }, storeCatalogue(store.id, user.isSuperAdmin)],
            },
          })) > 0);
    if (!before || !mine) throw new NotFoundError(`survey template "${input.id}"`);
    const updated = await tx.surveyTemplate.update({ where: { id: input.id }, data, select: { id: true } });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "surveyTemplate.update",
      entity: "SurveyTemplate",
      entityId: updated.id,
      before,
      after: data,
    });
    return updated;
  });
}

export interface SurveyItemView {
  itemId: string;
  sku: string;
  name: string;
  category: string;
  /** The item has an open flag in the store. */
  flagged: boolean;
  /** The operator's choice: true started, false stopped, null follows the flag. */
  override: boolean | null;
  /** Whether scanning its sign (or a kiosk prompt) opens a survey now. */
  running: boolean;
  /** Whose questions shoppers get: the item's own template, its category's, or the default questions. */
  templateSource: "item" | "category" | "default";
  responses: number;
  declined: number;
}

/**
 * Every product of the store with its survey state (running or not, and why), template and answer
 * counts: running ones first, then by name.
 */
export async function surveyItems({ ctx }: { ctx: Ctx; input: TemplatesInput }): Promise<{
  items: SurveyItemView[];
  timezone: string;
}> {
  const { db, store } = ctx;
  const items = await catalogue(ctx);
  const ids = items.map((i) => i.id);
  const [flags, runs, templates, responses, declined] = await Promise.all([
    db.flag.findMany({
      where: { storeId: store.id, clearedAt: null, itemId: { in: ids } },
      select: { itemId: true },
    }),
    db.surveyRun.findMany({ where: { storeId: store.id, itemId: { in: ids } } }),
    db.surveyTemplate.findMany({
      where: {
        active: true,
        OR: [
          { itemId: { in: ids } },
          { itemId: null, category: { in: [...new Set(items.map((i) => i.category))] } },
        ],
      },
      select: { id: true, itemId: true, category: true, active: true, updatedAt: true },
    }),
    db.surveyResponse.groupBy({
      by: ["itemId"],
      where: { itemId: { in: ids }, invite: { storeId: store.id } },
      _count: { _all: true },
    }),
    db.surveyInvite.groupBy({
      by: ["itemId"],
      where: { itemId: { in: ids }, storeId: store.id, consent: { granted: false } },
      _count: { _all: true },
    }),
  ]);
  const flagged = new Set(flags.map((f) => f.itemId));
  const override = new Map(runs.map((r) => [r.itemId, r.running]));
  const count = (rows: { itemId: string; _count: { _all: number } }[], id: string) =>
    rows.find((r) => r.itemId === id)?._count._all ?? 0;
  const views = items.map((i): SurveyItemView => {
    const o = override.get(i.id) ?? null;
    return {
      itemId: i.id,
      sku: i.sku,
      name: i.name,
      category: i.category,
      flagged: flagged.has(i.id),
      override: o,
      running: o ?? flagged.has(i.id),
      templateSource: resolveTemplate(i, templates)?.source ?? "default",
      responses: count(responses, i.id),
      declined: count(declined, i.id),
    };
  });
  views.sort((a, b) => Number(b.running) - Number(a.running) || a.name.localeCompare(b.name));
  return { items: views, timezone: store.timezone };
}

/** Starts or stops an item's survey in the store, or hands it back to the flag. Audited. */
export async function setSurveyRunning({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SetRunningInput;
}): Promise<{ running: boolean | null }> {
  const { db, store, user } = ctx;
  const item = await catalogueItem(ctx, input.itemId);
  const key = { storeId_itemId: { storeId: store.id, itemId: item.id } };
  await db.$transaction(async (tx) => {
    const before = await tx.surveyRun.findUnique({ where: key, select: { running: true } });
    if (input.running === null)
      await tx.surveyRun.deleteMany({ where: { storeId: store.id, itemId: item.id } });
    else
      await tx.surveyRun.upsert({
        where: key,
        create: { storeId: store.id, itemId: item.id, running: input.running },
        update: { running: input.running },
      });
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: input.running === null ? "survey.follow-flag" : input.running ? "survey.start" : "survey.stop",
      entity: "Item",
      entityId: item.id,
      before: { running: before?.running ?? null },
      after: { running: input.running },
    });
  });
  logger().info({ storeId: store.id, itemId: item.id, running: input.running }, "survey run changed");
  return { running: input.running };
}

export interface ShelfSignView {
  store: { id: string; name: string; slug: string; timezone: string };
  item: { id: string; sku: string; name: string };
  /** The short code the sign's QR encodes (`/s/q/<code>`). */
  code: string;
  issuedAt: Date;
  /** {@link signDateTime} of `issuedAt`: the store's clock, zone named. */
  issuedAtText: string;
}

/** The item's current printable shelf sign in the store (a short code is created on first print). */
export async function shelfSign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SurveyItemInput;
}): Promise<ShelfSignView> {
  const item = await catalogueItem(ctx, input.itemId);
  const sign = await currentShelfSign(ctx.db, ctx.store.id, item.id);
  const { id, name, slug, timezone } = ctx.store;
  return {
    store: { id, name, slug, timezone },
    item: { id: item.id, sku: item.sku, name: item.name },
    code: sign.code,
    issuedAt: sign.createdAt,
    issuedAtText: signDateTime(sign.createdAt, timezone),
  };
}

/**
 * Retires the item's printed signs in this store (their codes stop working at once; old signed codes keep
 * working until they expire) and issues a new code to print. Audited (the codes themselves are not logged).
 */
export async function revokeShelfSign({
  ctx,
  input,
}: {
  ctx: Ctx;
  input: SurveyItemInput;
}): Promise<{ revoked: number }> {
  const { db, store, user } = ctx;
  const item = await catalogueItem(ctx, input.itemId);
  return db.$transaction(async (tx) => {
    const { revoked, sign } = await replaceShelfSign(tx, store.id, item.id);
    await writeAudit(tx, {
      storeId: store.id,
      userId: user.id,
      action: "shelfSign.revoke",
      entity: "Item",
      entityId: item.id,
      before: { openCodes: revoked },
      after: { issuedAt: sign.createdAt },
    });
    return { revoked };
  });
}
