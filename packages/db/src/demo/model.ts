import { createHash } from "node:crypto";
import {
  aggregateInteraction,
  EXPRESSIONS,
  seededRandom,
  type Expression,
  type InteractionSummary,
} from "@shelf/core";
import type { DemoProduct, DemoStoreDef } from "./catalogue.ts";

/**
 * The demo's generative model: how many shoppers visit each product, when, for how long, what the camera
 * reads on their faces and how many buy. Everything random comes from one seeded PRNG stream per store
 * (`seededRandom` in @shelf/core), so the same seed and the same `now` give the same history, row for row.
 *
 * Per product (traits drawn once per SKU, the same in every store):
 * - popularity: visits per open day in the main store, `6 + 22·u²` (u uniform): a few best-sellers, a long tail;
 * - expression mix: the category prior (`CATEGORY_MIX`) with a log-normal jitter per class (σ 0.35),
 *   renormalised — so products differ a little, and none is rejected by chance;
 * - conversion: share of visits that end in a purchase, `0.2 + 0.3·u`;
 * - dwell: median `2.5 + 4·u` s.
 *
 * Per store, day and hour (store-local time, the store's opening hours):
 * - weekly pattern `WEEKDAY` (Friday and Saturday busiest), times a day factor `exp(0.15·z)` (weather,
 *   events), times the hour-of-day share `hourShape` (a lunch and an after-work peak; commuter stores add a
 *   morning and an evening rush), normalised over the open hours;
 * - visits of a product in an hour ~ Poisson(popularity × store traffic × regime traffic × day × hour share).
 *
 * Per visit:
 * - the expression the shopper shows is drawn from the product's mix (or its regime's: a recipe change or a
 *   planogram move replaces it from a date on);
 * - dwell ~ log-normal(median, σ 0.5), 0.6–40 s; the agent classifies `clamp(round(1.5·dwell s), 1, 12)`
 *   crops; each crop's 7 probabilities put `U(0.45, 0.9)` on the shown expression and spread the rest at
 *   random — a classifier that mostly, not always, agrees;
 * - `aggregateInteraction` (@shelf/core, what the worker runs) turns the crops into the interaction: mean
 *   probabilities, dominant expression, valence, hesitation and the store's negative rule;
 * - a purchase with probability conversion × regime conversion, a fifth of that after a negative visit.
 *   Sales the camera never saw (shoppers who walked past the camera's view) add Poisson(0.6 × expected visits ×
 *   conversion) units per day.
 *
 * Hourly rollups are summed from the generated interactions exactly as the worker's interaction writer
 * increments them (hour of `startedAt`, dominant expression, count, hesitations, dwell and valence sums), so the
 * two always agree.
 */

const HOUR_MS = 3_600_000;

/** Category priors of the expression mix (angry … neutral): mostly neutral faces, some smiles, little else. */
export const CATEGORY_MIX: Record<DemoProduct["category"], Record<Expression, number>> = {
  snacks: { angry: 0.025, disgust: 0.025, fear: 0.03, happy: 0.27, sad: 0.05, surprise: 0.08, neutral: 0.52 },
  confectionery: {
    angry: 0.02,
    disgust: 0.02,
    fear: 0.02,
    happy: 0.34,
    sad: 0.04,
    surprise: 0.08,
    neutral: 0.48,
  },
  beverages: {
    angry: 0.025,
    disgust: 0.025,
    fear: 0.03,
    happy: 0.24,
    sad: 0.05,
    surprise: 0.07,
    neutral: 0.56,
  },
  dairy: { angry: 0.025, disgust: 0.03, fear: 0.03, happy: 0.22, sad: 0.05, surprise: 0.06, neutral: 0.585 },
};

/** Visits by weekday (0 = Sunday), relative to Thursday. */
export const WEEKDAY = [0.8, 0.85, 0.85, 0.9, 1, 1.2, 1.35] as const;

/** Unnormalised shopper density at local hour `h` (its middle), for a store's commuter weight. */
export function hourShape(h: number, commuter: number): number {
  const bump = (mu: number, sigma: number) => Math.exp(-0.5 * ((h + 0.5 - mu) / sigma) ** 2);
  return (
    0.5 + bump(12.5, 1.2) + 1.3 * bump(17.5, 1.5) + commuter * (1.5 * bump(7.5, 1) + 1.2 * bump(18, 1.2))
  );
}

/** A product's traits, drawn once per SKU. */
export interface ProductTraits {
  /** Visits per open day in a store with traffic 1. */
  daily: number;
  mix: Record<Expression, number>;
  conversion: number;
  /** ms */
  dwellMedianMs: number;
}

/** A 32-bit seed for a named stream (FNV-1a of the label, mixed with the base seed). */
export function subSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Standard normal from two uniforms (Box–Muller). */
export function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Poisson(λ): Knuth's product method below 30, a rounded normal above. */
export function poisson(rand: () => number, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(rand)));
  const l = Math.exp(-lambda);
  let k = 0;
  for (let prod = rand(); prod > l; prod *= rand()) k++;
  return k;
}

function normalise(mix: Record<Expression, number>): Record<Expression, number> {
  const total = EXPRESSIONS.reduce((s, e) => s + mix[e], 0);
  return Object.fromEntries(EXPRESSIONS.map((e) => [e, mix[e] / total])) as Record<Expression, number>;
}

/** The traits of a product (depends only on the seed and the SKU). */
export function productTraits(seed: number, product: DemoProduct): ProductTraits {
  const rand = seededRandom(subSeed(seed, `traits:${product.sku}`));
  const u = rand();
  const prior = CATEGORY_MIX[product.category];
  const mix = normalise(
    Object.fromEntries(EXPRESSIONS.map((e) => [e, prior[e] * Math.exp(0.35 * normal(rand))])) as Record<
      Expression,
      number
    >,
  );
  return { daily: 6 + 22 * u * u, mix, conversion: 0.2 + 0.3 * rand(), dwellMedianMs: 2500 + 4000 * rand() };
}

function pick(rand: () => number, mix: Record<Expression, number>): Expression {
  let r = rand();
  for (const e of EXPRESSIONS) {
    r -= mix[e];
    if (r < 0) return e;
  }
  return "neutral";
}

/** One crop's 7 probabilities when the shopper shows `shown`. */
function cropProbs(rand: () => number, shown: Expression): number[] {
  const main = 0.45 + 0.45 * rand();
  const rest = EXPRESSIONS.map((e) => (e === shown ? 0 : -Math.log(1 - rand())));
  const restSum = rest.reduce((a, b) => a + b, 0);
  return EXPRESSIONS.map((e, i) => (e === shown ? main : ((1 - main) * rest[i]!) / restSum));
}

/** From a date on (ms), a product behaves differently in a store: its zone, traffic, mix or conversion. */
export interface Regime {
  from: number;
  zoneId?: string;
  traffic?: number;
  mix?: Record<Expression, number>;
  conversion?: number;
}

/** One product as placed in one store: where it stands and what changes when. */
export interface PlacedProduct {
  product: DemoProduct;
  itemId: string;
  /** Zone at the start of the history. */
  zoneId: string;
  /** Changes, in date order. */
  regimes: readonly Regime[];
  /** Mix before the first regime with a mix (default: the product's own). */
  mixBefore?: Record<Expression, number>;
}

/** Column arrays of generated interactions (the `Interaction` table's columns). */
export interface InteractionColumns {
  id: string[];
  zoneId: string[];
  itemId: string[];
  startedAt: number[];
  endedAt: number[];
  dwellMs: number[];
  sampleCount: number[];
  probs: number[][]; // per EXPRESSIONS index, one array of values
  dominant: Expression[];
  valence: number[];
  hesitation: boolean[];
  negative: boolean[];
}

/** One hourly rollup row, as the interaction writer maintains it. */
export interface RollupRow {
  zoneId: string;
  itemId: string;
  hour: number; // ms
  expression: Expression;
  count: number;
  hesitationCount: number;
  dwellMsSum: number;
  valenceSum: number;
}

/** Units sold of one product over one store-local day. */
export interface SalesRow {
  itemId: string;
  periodStart: number; // ms
  periodEnd: number; // ms
  units: number;
  revenueMinor: number;
}

export interface StoreHistory {
  interactions: InteractionColumns;
  rollups: RollupRow[];
  sales: SalesRow[];
}

/** A store-local calendar for UTC hours: local hour, weekday and date (YYYY-MM-DD). */
export function localHours(
  timezone: string,
  from: number,
  to: number,
): { hour: number; local: number; weekday: number; date: string }[] {
  const fmt = new Intl.DateTimeFormat("en-CA", {
    timeZone: timezone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    weekday: "short",
  });
  const days: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
  const out = [];
  for (let t = from; t < to; t += HOUR_MS) {
    const parts = Object.fromEntries(fmt.formatToParts(t).map((x) => [x.type, x.value]));
    out.push({
      hour: t,
      local: Number(parts.hour) % 24,
      weekday: days[parts.weekday!]!,
      date: `${parts.year}-${parts.month}-${parts.day}`,
    });
  }
  return out;
}

/** Deterministic UUID-formatted id for a generated row. */
export function demoId(label: string): string {
  const h = createHash("sha256").update(`shelf-demo/v1|${label}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Generates one store's history over [from, to) (ms, whole hours): interactions, their hourly rollups, and
 * daily sales for the store-local days that lie wholly inside the range.
 */
export function generateStoreHistory(input: {
  seed: number;
  store: DemoStoreDef;
  products: readonly PlacedProduct[];
  from: number;
  to: number;
  /** The store's negative rule (default: disgust, angry). */
  negativeSet?: readonly Expression[];
}): StoreHistory {
  const { store, products, from, to } = input;
  const rand = seededRandom(subSeed(input.seed, `history:${store.slug}`));
  const calendar = localHours(store.timezone, from, to);
  const traits = new Map(products.map((p) => [p.product.sku, productTraits(input.seed, p.product)]));

  // Hour-of-day shares per weekday, normalised over the open hours.
  const shares = store.hours.map((open) => {
    const s = new Array<number>(24).fill(0);
    if (!open) return s;
    for (let h = open[0]; h < open[1]; h++) s[h] = hourShape(h, store.commuter);
    const total = s.reduce((a, b) => a + b, 0);
    return s.map((v) => v / total);
  });
  const dayFactor = new Map<string, number>();
  for (const c of calendar)
    if (!dayFactor.has(c.date)) dayFactor.set(c.date, WEEKDAY[c.weekday]! * Math.exp(0.15 * normal(rand)));

  const cols: InteractionColumns = {
    id: [],
    zoneId: [],
    itemId: [],
    startedAt: [],
    endedAt: [],
    dwellMs: [],
    sampleCount: [],
    probs: EXPRESSIONS.map(() => []),
    dominant: [],
    valence: [],
    hesitation: [],
    negative: [],
  };
  const rollups = new Map<string, RollupRow>();
  const units = new Map<string, { itemId: string; date: string; units: number; expected: number }>();
  const negativeSet = input.negativeSet ?? ["disgust", "angry"];
  let n = 0;

  for (const c of calendar) {
    const share = shares[c.weekday]![c.local]!;
    if (share === 0) continue;
    const day = dayFactor.get(c.date)!;
    for (const placed of products) {
      const t = traits.get(placed.product.sku)!;
      let zoneId = placed.zoneId;
      let traffic = 1;
      let mix = placed.mixBefore ?? t.mix;
      let conversion = t.conversion;
      for (const r of placed.regimes) {
        if (r.from > c.hour) break;
        zoneId = r.zoneId ?? zoneId;
        traffic = r.traffic ?? traffic;
        mix = r.mix ?? mix;
        conversion = r.conversion !== undefined ? t.conversion * r.conversion : conversion;
      }
      const expected = t.daily * store.traffic * traffic * day * share;
      const salesKey = `${placed.itemId}|${c.date}`;
      const sale = units.get(salesKey) ?? { itemId: placed.itemId, date: c.date, units: 0, expected: 0 };
      units.set(salesKey, sale);
      sale.expected += expected * conversion;
      const visits = poisson(rand, expected);
      for (let v = 0; v < visits; v++) {
        const shown = pick(rand, mix);
        const dwellMs = Math.round(
          Math.min(40_000, Math.max(600, t.dwellMedianMs * Math.exp(0.5 * normal(rand)))),
        );
        const startedAt = c.hour + Math.floor(rand() * (HOUR_MS - dwellMs));
        const sampleCount = Math.min(12, Math.max(1, Math.round((1.5 * dwellMs) / 1000)));
        const samples = Array.from({ length: sampleCount }, (_, k) => ({
          capturedAt: startedAt + Math.round((k * dwellMs) / sampleCount),
          probs: cropProbs(rand, shown),
        }));
        const s = aggregateInteraction(
          samples,
          { startedAt, endedAt: startedAt + dwellMs },
          { negativeSet },
        ) as InteractionSummary;
        cols.id.push(demoId(`${store.slug}|${n++}`));
        cols.zoneId.push(zoneId);
        cols.itemId.push(placed.itemId);
        cols.startedAt.push(startedAt);
        cols.endedAt.push(startedAt + dwellMs);
        cols.dwellMs.push(s.dwellMs);
        cols.sampleCount.push(s.sampleCount);
        s.meanProbs.forEach((p, i) => cols.probs[i]!.push(p));
        cols.dominant.push(s.dominant);
        cols.valence.push(s.valence);
        cols.hesitation.push(s.hesitation);
        cols.negative.push(s.negative);

        const key = `${zoneId}|${placed.itemId}|${c.hour}|${s.dominant}`;
        const r = rollups.get(key) ?? {
          zoneId,
          itemId: placed.itemId,
          hour: c.hour,
          expression: s.dominant,
          count: 0,
          hesitationCount: 0,
          dwellMsSum: 0,
          valenceSum: 0,
        };
        r.count += 1;
        r.hesitationCount += s.hesitation ? 1 : 0;
        r.dwellMsSum += s.dwellMs;
        r.valenceSum += s.valence;
        rollups.set(key, r);
        if (rand() < conversion * (s.negative ? 0.2 : 1)) sale.units += 1;
      }
    }
  }

  // Daily sales for whole local days: [first hour of the day, first hour of the next).
  const dayStart = new Map<string, number>();
  for (const c of calendar) if (c.local === 0 || !dayStart.has(c.date)) dayStart.set(c.date, c.hour);
  const dates = [...dayStart.keys()];
  const complete = new Set(
    calendar.filter((c) => c.local === 0).map((c) => c.date),
  ); /* days whose midnight is in range */
  const price = new Map(products.map((p) => [p.itemId, p.product.priceMinor]));
  const sales: SalesRow[] = [];
  for (const sale of units.values()) {
    const i = dates.indexOf(sale.date);
    const next = dates[i + 1];
    if (!complete.has(sale.date) || next === undefined) continue;
    const total = sale.units + poisson(rand, 0.6 * sale.expected);
    if (total === 0) continue;
    sales.push({
      itemId: sale.itemId,
      periodStart: dayStart.get(sale.date)!,
      periodEnd: dayStart.get(next)!,
      units: total,
      revenueMinor: total * price.get(sale.itemId)!,
    });
  }
  return { interactions: cols, rollups: [...rollups.values()], sales };
}
