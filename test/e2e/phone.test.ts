import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createDb, type Db } from "@shelf/db";
import { ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { launchChromium } from "../support/browser.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { signIn, webTestEnv } from "../support/web-session.ts";

const SHOTS = path.join(ROOT, "test-results", "screenshots");
const PHONE = { width: 390, height: 844 };

/**
 * The merchandiser's pages on a 390 × 844 phone: nothing wider than the screen (wide tables scroll inside
 * themselves), and the words say what the camera measures — interactions and facial expressions, with the
 * definition and the model's accuracy one click away.
 */
describe("report pages on a phone (Chromium, 390 px)", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let phone: BrowserContext;
  let s: WebStore;
  let merchandiserId: string;
  const from = "2026-11-01";
  const to = "2026-11-30";

  beforeAll(async () => {
    s = await createWebStore(db, { k: 5 });
    const merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    merchandiserId = merchandiser.id;
    // 177 interactions with the crisps, 88 of them happy: 45 showed disgust or anger (the default set).
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour: new Date("2026-11-20T10:00:00Z"),
      counts: { happy: 88, disgust: 25, angry: 20, neutral: 44 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      hour: new Date("2026-11-21T15:00:00Z"),
      counts: { happy: 12, neutral: 9, sad: 2 },
    });
    await db.flag.create({
      data: {
        storeId: s.store.id,
        itemId: s.items.crisps.id,
        rate: 45 / 177,
        lower: 0.195,
        upper: 0.322,
        n: 177,
        negatives: 45,
        threshold: 0.15,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });
    web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
    });
    browser = await launchChromium();
    phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, hasTouch: true });
    const page = await phone.newPage();
    await signIn(page, web.url, merchandiser.email, FIXTURE_PASSWORD, `/stores/${s.store.slug}/products`);
    await page.close();
    mkdirSync(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    await phone?.close();
    await browser?.close();
    await web?.stop();
    if (s) await dropWebStore(db, s);
    if (merchandiserId) await db.user.delete({ where: { id: merchandiserId } }).catch(() => undefined);
    await db.$disconnect();
  });

  /** Opens a page on the phone and returns how wide the document is (CSS px). */
  async function open(p: string, ready: (page: Page) => Promise<unknown>, shot: string) {
    const page = await phone.newPage();
    await page.goto(`${web.url}${p}`);
    await ready(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await page.screenshot({ path: path.join(SHOTS, `phone-${shot}.png`), fullPage: true });
    return { page, width };
  }

  it("fits the products table in 390 px, its rate reachable by scrolling the table, not the page", async () => {
    const { page, width } = await open(
      `/stores/${s.store.slug}/products?from=${from}&to=${to}`,
      (pg) => pg.locator(`[data-testid="item-row"][data-sku="${s.items.crisps.sku}"]`).waitFor(),
      "products",
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    const header = page.getByRole("columnheader", { name: /Negative-expression rate/ });
    await header.scrollIntoViewIfNeeded();
    expect(await header.isVisible()).toBe(true);
    // The product's name stays in view while the table scrolls sideways.
    const name = page
      .locator(
        `[data-testid="item-row"][data-sku="${s.items.crisps.sku}"] th, [data-testid="item-row"][data-sku="${s.items.crisps.sku}"] td`,
      )
      .first();
    const box = await name.boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await page.close();
  });

  it("says what a flag means in interactions and expressions, with the definition one click away", async () => {
    const { page, width } = await open(
      `/stores/${s.store.slug}/flags`,
      (pg) => pg.getByTestId("flag-reason").first().waitFor(),
      "flags",
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    const reason = await page.getByTestId("flag-reason").first().textContent();
    expect(reason).toMatch(/^45 of 177 interactions \(25 %\) showed a negative expression/);
    expect(reason).not.toMatch(/shopper|reject/i);
    const definition = page.getByTestId("metric-definition");
    await definition.getByText(/What is the negative-expression rate\?/).click();
    await expect(definition.getByTestId("negative-set").textContent()).resolves.toBe("anger or disgust");
    expect(await definition.textContent()).toMatch(/69\.9 % of the 3,589 faces of FER-2013 PublicTest/);
    await page.screenshot({ path: path.join(SHOTS, "phone-flags-definition.png"), fullPage: true });
    await definition.getByRole("link", { name: /How we measure/ }).click();
    await page.getByRole("heading", { name: "How we measure" }).waitFor();
    expect(await page.getByTestId("model-accuracy").textContent()).toBe("69.9 %");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SHOTS, "phone-measurements.png"), fullPage: true });
    await page.close();
  });

  it("fits the product report in 390 px", async () => {
    const { page, width } = await open(
      `/stores/${s.store.slug}/products/${s.items.crisps.id}?from=${from}&to=${to}`,
      (pg) => pg.getByTestId("report-n").waitFor(),
      "product-report",
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.getByTestId("report-n").textContent()).toBe("177");
    expect(await page.getByTestId("report-rejection").textContent()).toBe("25 %");
    await page.close();
  });

  it("moves the old Traffic address to /traffic for good", async () => {
    const res = await fetch(`${web.url}/stores/${s.store.slug}/trends?from=${from}`, { redirect: "manual" });
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe(`/stores/${s.store.slug}/traffic?from=${from}`);
    const { page, width } = await open(
      `/stores/${s.store.slug}/traffic?from=${from}&to=${to}`,
      (pg) => pg.getByRole("heading", { name: "Traffic" }).waitFor(),
      "traffic",
    );
    expect(width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.getByRole("link", { name: "Traffic" }).getAttribute("aria-current")).toBe("page");
    await page.close();
  });
});
