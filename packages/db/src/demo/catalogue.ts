import type { Expression } from "@shelf/core";

/**
 * The demo chain's fixed facts: what a real chain would type into the product once (stores, opening hours,
 * floor layout, the catalogue with prices) and the two events the story is about (a recipe change and a
 * planogram move). No observation is typed here: every visit, expression, rollup, sale and survey answer is
 * generated from these facts by the model in `model.ts` with a seeded PRNG.
 */

/** A chain store. `traffic` scales every product's visits; hours are local (the store's time zone). */
export interface DemoStoreDef {
  slug: string;
  name: string;
  timezone: string;
  /** Multiplier on every product's visits per day (the main store is 1). */
  traffic: number;
  /** Local opening hours, [open, close) whole hours, per weekday 0 = Sunday … 6 = Saturday; null = closed. */
  hours: readonly ([number, number] | null)[];
  /** Store-level commuter profile: extra weight on the morning and evening peaks (0 = none). */
  commuter: number;
  /** Whether the live demo camera (the face-api photos) runs in this store. */
  liveCamera: boolean;
}

const SHOP_HOURS: [number, number] = [8, 20];

/** The demo chain: the first store is the one the live demo camera and the demo accounts start in. */
export const DEMO_STORES: readonly DemoStoreDef[] = [
  {
    slug: "demo",
    name: "Demo Market",
    timezone: "Europe/Berlin",
    traffic: 1,
    hours: [null, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS],
    commuter: 0,
    liveCamera: true,
  },
  {
    slug: "demo-north",
    name: "Demo Market North",
    timezone: "Europe/Berlin",
    traffic: 0.7,
    hours: [null, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS, SHOP_HOURS],
    commuter: 0,
    liveCamera: false,
  },
  {
    slug: "demo-station",
    name: "Demo Market Central Station",
    timezone: "Europe/Berlin",
    traffic: 0.5,
    hours: [
      [7, 21],
      [6, 22],
      [6, 22],
      [6, 22],
      [6, 22],
      [6, 22],
      [7, 22],
    ],
    commuter: 1,
    liveCamera: false,
  },
];

/** One product of the catalogue. */
export interface DemoProduct {
  sku: string;
  name: string;
  category: DemoCategory;
  /** Shelf price, cents. */
  priceMinor: number;
}

export type DemoCategory = "snacks" | "confectionery" | "beverages" | "dairy";

/** The shelf zones every chain store has (same format, same planogram), in floor order along the back wall. */
export const DEMO_ZONE_LAYOUT: readonly { name: string; category: DemoCategory; x0: number; x1: number }[] = [
  // Bay widths (FloorM) follow where the demo photos' faces land under the demo calibration (see DEMO in
  // demo-seed.ts): every bay gets shoppers from the live camera.
  { name: "Snacks", category: "snacks", x0: 2, x1: 5 },
  { name: "Confectionery", category: "confectionery", x0: 5, x1: 6 },
  { name: "Beverages", category: "beverages", x0: 6, x1: 7 },
  { name: "Dairy & chilled", category: "dairy", x0: 7, x1: 10 },
];

const p = (sku: string, name: string, category: DemoCategory, priceMinor: number): DemoProduct => ({
  sku,
  name,
  category,
  priceMinor,
});

/** 40 products, 10 per category, in planogram order within their bay. */
export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  p("SNK-001", "Sea-salt crisps", "snacks", 249),
  p("SNK-002", "Chilli peanuts", "snacks", 199),
  p("SNK-003", "Paprika crisps", "snacks", 249),
  p("SNK-004", "Salted pretzels", "snacks", 149),
  p("SNK-005", "Tortilla chips", "snacks", 229),
  p("SNK-006", "Rice crackers", "snacks", 189),
  p("SNK-007", "Mixed nuts", "snacks", 399),
  p("SNK-008", "Sweet & salty popcorn", "snacks", 179),
  p("SNK-009", "Veggie straws", "snacks", 219),
  p("SNK-010", "Cheese puffs", "snacks", 169),
  p("CON-001", "Milk chocolate bar", "confectionery", 129),
  p("CON-002", "Dark chocolate 70 %", "confectionery", 199),
  p("CON-003", "Gummy bears", "confectionery", 119),
  p("CON-004", "Liquorice wheels", "confectionery", 139),
  p("CON-005", "Caramel wafers", "confectionery", 159),
  p("CON-006", "Mint drops", "confectionery", 99),
  p("CON-007", "Hazelnut pralines", "confectionery", 449),
  p("CON-008", "Fruit jellies", "confectionery", 149),
  p("CON-009", "Oat cookies", "confectionery", 219),
  p("CON-010", "Peanut protein bar", "confectionery", 179),
  p("BEV-001", "Sparkling lemonade", "beverages", 129),
  p("BEV-002", "Cold-brew coffee", "beverages", 249),
  p("BEV-003", "Still water 1.5 l", "beverages", 69),
  p("BEV-004", "Orange juice", "beverages", 229),
  p("BEV-005", "Peach iced tea", "beverages", 119),
  p("BEV-006", "Cola", "beverages", 139),
  p("BEV-007", "Berry Fizz Zero", "beverages", 149),
  p("BEV-008", "Ginger ale", "beverages", 159),
  p("BEV-009", "Apple spritzer", "beverages", 109),
  p("BEV-010", "Energy drink", "beverages", 189),
  p("DAI-001", "Whole milk 1 l", "dairy", 119),
  p("DAI-002", "Oat drink", "dairy", 199),
  p("DAI-003", "Greek yoghurt", "dairy", 179),
  p("DAI-004", "Strawberry yoghurt", "dairy", 89),
  p("DAI-005", "Butter", "dairy", 249),
  p("DAI-006", "Gouda slices", "dairy", 229),
  p("DAI-007", "Vanilla skyr", "dairy", 169),
  p("DAI-008", "Cream cheese", "dairy", 149),
  p("DAI-009", "Chocolate pudding", "dairy", 79),
  p("DAI-010", "Kefir", "dairy", 139),
];

/**
 * The story. The rejected product: a drink whose recipe changed (a new sweetener) `daysAgo` days before the
 * seed, launched with a "new recipe" shelf tag; from then on shoppers in every store look at it more often and
 * pull faces at it, and those who answer the survey say why.
 * The moved product: in the main store, cold-brew coffee moved from the Beverages bay into the chiller of
 * Dairy & chilled `daysAgo` days before the seed; from then on it gets more visits and fewer puzzled looks.
 */
export const DEMO_STORY = {
  rejected: {
    sku: "BEV-007",
    daysAgo: 42,
    /** Expression mix after the change (replaces the product's own). */
    mix: { angry: 0.13, disgust: 0.3, fear: 0.03, happy: 0.12, sad: 0.08, surprise: 0.07, neutral: 0.27 },
    /** Sales per visit after the change, relative to before. */
    conversion: 0.45,
    /** Visits after the change, relative to before (launched with a "new recipe" shelf tag that draws looks). */
    traffic: 2,
  },
  moved: {
    sku: "BEV-002",
    storeSlug: "demo",
    daysAgo: 28,
    fromZone: "Beverages",
    toZone: "Dairy & chilled",
    /** Visits after the move, relative to before. */
    traffic: 1.9,
    /** Expression shift after the move: more smiles, fewer puzzled (sad/neutral) looks. */
    mix: { angry: 0.02, disgust: 0.02, fear: 0.02, happy: 0.42, sad: 0.04, surprise: 0.08, neutral: 0.4 },
    /** The product's mix before the move (hard to find at the bottom of the drinks bay). */
    mixBefore: {
      angry: 0.04,
      disgust: 0.03,
      fear: 0.04,
      happy: 0.14,
      sad: 0.13,
      surprise: 0.07,
      neutral: 0.55,
    },
  },
} as const satisfies {
  rejected: {
    sku: string;
    daysAgo: number;
    mix: Record<Expression, number>;
    conversion: number;
    traffic: number;
  };
  moved: {
    sku: string;
    storeSlug: string;
    daysAgo: number;
    fromZone: string;
    toZone: string;
    traffic: number;
    mix: Record<Expression, number>;
    mixBefore: Record<Expression, number>;
  };
};
