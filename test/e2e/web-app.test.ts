import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Redis } from "ioredis";
import { pino } from "pino";
import { applyHomography, estimateHomography } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { encodeLiveEvent, liveChannel, type LiveEvent } from "@shelf/survey-engine";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { launchChromium } from "../support/browser.ts";
import { startWebServer } from "../support/web-server.ts";
import { signIn, webTestEnv } from "../support/web-session.ts";
import { obliterateQueues } from "../support/redis-layout.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  setScore,
  type WebStore,
} from "../support/web-fixtures.ts";
import { LIVE_DELAY_MS } from "../../packages/api/src/live/window.ts";

const OUT = path.join(ROOT, "test-results");

/**
 * The web app in Chromium, against the built app (`next start`), a store of its own, real PostgreSQL and
 * Redis: sign-in per role, the store map with its heatmap, calibration from clicked points, thresholds
 * changing the flag list, sales import, and the live view fed over Redis.
 */
describe("web app in Chromium", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const prefix = randomPrefix("web");
  let s: WebStore;
  const users = {} as Record<"merchandiser" | "staff" | "admin", SessionUser>;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  /** The worker: a threshold change is a rescore job the settings page waits for. */
  let workers: RunningWorkers;
  let browser: Browser;
  let redis: Redis;

  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    s = await createWebStore(db, { k: 5, minSample: 10 });
    for (const role of ["merchandiser", "staff", "admin"] as const)
      users[role] = await createUser(db, { role, storeId: s.store.id });
    // This hour: inside every page's default range, and today in the store's zone (whole-hour offset).
    // Crisps are liked, peanuts rejected, cola barely seen.
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.crisps.id,
      hour,
      counts: { happy: 30, neutral: 10, disgust: 4 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.snacks,
      itemId: s.items.peanuts.id,
      hour,
      counts: { disgust: 14, angry: 6, neutral: 10 },
    });
    await addRollups(db, {
      storeId: s.store.id,
      zoneId: s.zones.drinks,
      itemId: s.items.cola.id,
      hour,
      counts: { happy: 2 },
    });
    await setScore(db, {
      storeId: s.store.id,
      itemId: s.items.peanuts.id,
      n: 100,
      negatives: 45,
      lower: 0.36,
      upper: 0.55,
    });
    await setScore(db, {
      storeId: s.store.id,
      itemId: s.items.crisps.id,
      n: 100,
      negatives: 5,
      lower: 0.02,
      upper: 0.11,
    });
    web = await startWebServer({
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: testRedisUrl(),
      ...webTestEnv({ QUEUE_PREFIX: prefix }),
    });
    workers = startWorkers({
      db,
      redisUrl: testRedisUrl(),
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("not used")) },
      logger: pino({ level: "silent" }),
    });
    browser = await launchChromium();
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await workers?.close();
    await obliterateQueues(testRedisUrl(), prefix);
    redis?.disconnect();
    await db.user.deleteMany({ where: { id: { in: Object.values(users).map((u) => u.id) } } });
    if (s) await dropWebStore(db, s);
    await db.$disconnect();
  });

  async function pageAs(
    role: keyof typeof users,
    next = "/",
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, web.url, users[role].email, FIXTURE_PASSWORD, next);
    return { context, page };
  }
  const store = (p: string) => `${web.url}/stores/${s.store.slug}/${p}`;

  it("signs each role in to its own pages, and keeps the others closed", async () => {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(store("map"));
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByLabel("Email").fill(users.merchandiser.email);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#sign-in-error").textContent()).resolves.toMatch(/do not match/);
    await page.getByLabel("Password").fill(FIXTURE_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(new RegExp(`/stores/${s.store.slug}/map$`)); // back where they wanted to go
    await anonymous.close();

    const expected = {
      merchandiser: {
        home: "overview",
        tabs: ["Overview", "Products", "Flagged", "Surveys", "Store map", "Live", "Traffic", "Sales import"],
        closed: "cameras",
      },
      staff: { home: "cameras", tabs: ["Cameras", "Zones & planogram"], closed: "products" },
      admin: {
        home: "overview",
        tabs: [
          "Overview",
          "Products",
          "Flagged",
          "Surveys",
          "Store map",
          "Live",
          "Traffic",
          "Sales import",
          "Cameras",
          "Zones & planogram",
          "Rules",
          "People",
          "Kiosks",
          "Alerts",
          "Audit log",
          "Compliance",
        ],
        closed: null,
      },
    } as const;
    for (const role of ["merchandiser", "staff", "admin"] as const) {
      const { context, page: p } = await pageAs(role);
      // One store: straight into it, on the role's first page.
      await p.waitForURL(new RegExp(`/stores/${s.store.slug}/${expected[role].home}$`));
      await expect(p.getByTestId("store-role").textContent()).resolves.toBe(role);
      const nav = p.getByRole("navigation", { name: "Store pages" });
      await nav.waitFor();
      const tabs = await nav.getByRole("link").allTextContents();
      expect(tabs).toEqual(expected[role].tabs);
      if (expected[role].closed) {
        await p.goto(store(expected[role].closed));
        await p.getByRole("heading", { name: "Not for your role" }).waitFor();
      }
      await p.screenshot({ path: path.join(OUT, `web-home-${role}.png`), fullPage: true });
      await context.close();
    }
  });

  it("draws the store map: shelves coloured by negative-expression rate and a heatmap on a non-blank canvas", async () => {
    const { context, page } = await pageAs("merchandiser", `/stores/${s.store.slug}/map`);
    const map = page.getByTestId("store-map");
    await page.waitForSelector('[data-testid="store-map"][data-map-state="ready"]', { timeout: 30_000 });
    // Crisps and peanuts have ≥ k interactions: two heat points; cola (2) adds none.
    await expect(map.getAttribute("data-heat-points")).resolves.toBe("2");
    const zones = await page.getByTestId("zone-entry").allTextContents();
    expect(zones.find((z) => z.startsWith("Snacks"))).toMatch(
      /74 interactions.*negative-expression rate 32 %/,
    );
    expect(zones.find((z) => z.startsWith("Drinks"))).toMatch(/2 interactions.*hidden/);
    expect(zones.find((z) => z.startsWith("Stock room"))).toMatch(/staff only/);
    await page.waitForTimeout(500);
    const withHeat = await map.screenshot({ path: path.join(OUT, "web-store-map.png") });
    await page.screenshot({ path: path.join(OUT, "web-store-map-page.png"), fullPage: true });

    // Only fear: nobody showed it, so the same map without any heat.
    for (const e of ["angry", "disgust", "happy", "sad", "surprise", "neutral"])
      await page.getByTestId(`heat-${e}`).uncheck();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="store-map"]')?.getAttribute("data-heat-points") === "0",
    );
    await page.waitForSelector('[data-testid="store-map"][data-map-state="ready"]');
    await page.waitForTimeout(500);
    const withoutHeat = await map.screenshot();

    const colours = (png: Buffer) =>
      page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const canvas = document.createElement("canvas");
        canvas.width = img.width;
        canvas.height = img.height;
        const ctx = canvas.getContext("2d")!;
        ctx.drawImage(img, 0, 0);
        const { data } = ctx.getImageData(0, 0, img.width, img.height);
        const seen = new Set<number>();
        for (let i = 0; i < data.length; i += 4)
          seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        return seen.size;
      }, png.toString("base64"));
    const [heat, plain] = [await colours(withHeat), await colours(withoutHeat)];
    expect(plain).toBeGreaterThan(5); // the plan and its zones are drawn: not a blank canvas
    expect(heat).toBeGreaterThan(plain + 100); // the heatmap's gradients add many colours
    await context.close();
  });

  it("calibrates a camera from clicked points, shows the error, and saves a new version", async () => {
    const { context, page } = await pageAs("staff", `/stores/${s.store.slug}/cameras`);
    await page
      .getByTestId("camera-row")
      .filter({ hasText: "Aisle cam" })
      .getByRole("link", { name: "Calibrate" })
      .click();
    await page.waitForURL(/\/cameras\/[^/]+$/);
    await page.getByTestId("snapshot-placeholder").waitFor();
    await page.getByRole("button", { name: "Clear all" }).click();
    const frame = page.getByTestId("frame-canvas");
    const floor = page.getByTestId("floor-canvas");
    const fb = (await frame.boundingBox())!;
    const pb = (await floor.boundingBox())!;
    const clickFrame = (x: number, y: number) =>
      frame.click({ position: { x: (x / 640) * fb.width, y: (y / 480) * fb.height } });
    const clickFloor = (x: number, y: number) =>
      floor.click({ position: { x: (x / 12) * pb.width, y: (y / 8) * pb.height } });

    // Four points on one line cannot calibrate anything: the studio says why.
    for (const [i, x] of [0, 1, 2, 3].entries()) {
      await clickFrame(100 + x * 120, 240);
      await clickFloor(2 + i * 2, 3 + i);
    }
    await expect(page.getByTestId("fit-error").textContent()).resolves.toMatch(/line/);
    await expect(page.getByTestId("save-calibration").isDisabled()).resolves.toBe(true);

    await page.getByRole("button", { name: "Clear all" }).click();
    const pairs: [number, number, number, number][] = [
      [20, 470, 3, 3],
      [620, 470, 9, 3],
      [620, 210, 10, 6],
      [20, 210, 2, 6],
    ];
    for (const [fx, fy, x, y] of pairs) {
      await clickFrame(fx, fy);
      await clickFloor(x, y);
    }
    await expect(page.getByTestId("rms-error").textContent()).resolves.toMatch(/RMS 0\.0 cm/); // four pairs fit exactly
    // A fifth pair, its floor point typed in (the keyboard path) 3 cm from where the four put it: a measurable error.
    await clickFrame(320, 330);
    const value = (name: string) => page.getByLabel(name).inputValue().then(Number);
    const clicked = await Promise.all(
      [1, 2, 3, 4].map(async (i) => ({
        frame: { x: await value(`Pair ${i} frame x`), y: await value(`Pair ${i} frame y`) },
        floor: { x: await value(`Pair ${i} floor x`), y: await value(`Pair ${i} floor y`) },
      })),
    );
    const expected = applyHomography(estimateHomography(clicked).homography, {
      x: await value("Pair 5 frame x"),
      y: await value("Pair 5 frame y"),
    });
    await page.getByLabel("Pair 5 floor x").fill((expected.x + 0.03).toFixed(2));
    await page.getByLabel("Pair 5 floor y").fill(expected.y.toFixed(2));
    expect(await page.getByTestId("pair-row").count()).toBe(5);
    const rms = await page.getByTestId("rms-error").textContent();
    expect(rms).toMatch(/^RMS \d+\.\d cm$/);
    expect(Number(rms!.match(/[\d.]+/)![0])).toBeGreaterThan(0);
    await expect(page.getByTestId("field-of-view").count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(OUT, "web-calibration.png"), fullPage: true });
    await page.getByTestId("save-calibration").click();
    await expect(page.getByTestId("save-ok").textContent()).resolves.toMatch(/Saved version 2/);
    const saved = await db.calibration.findUniqueOrThrow({
      where: { cameraId_version: { cameraId: s.cameraId, version: 2 } },
    });
    expect((saved.pointPairs as unknown[]).length).toBe(5);
    expect(saved.createdById).toBe(users.staff.id);
    await context.close();
  });

  it("changes the flag list when an admin changes a threshold", async () => {
    const { context, page } = await pageAs("admin", `/stores/${s.store.slug}/flags`);
    await page.getByTestId("no-flags").waitFor();

    await page.goto(store("settings"));
    await page.getByTestId("threshold-input").fill("30");
    await page.getByTestId("save-threshold").click();
    await expect(page.getByTestId("threshold-outcome").textContent()).resolves.toMatch(/1 raised, 0 cleared/);
    await page.goto(store("flags"));
    const row = page.getByTestId("flag-row");
    expect(await row.count()).toBe(1);
    await expect(row.getAttribute("data-sku")).resolves.toBe(s.items.peanuts.sku);
    await expect(row.getByTestId("flag-reason").textContent()).resolves.toMatch(
      /45 of 100 .* above the store-wide threshold of 30 %/,
    );
    await page.screenshot({ path: path.join(OUT, "web-flags.png"), fullPage: true });

    // Raising the store's threshold above the bound (beyond the hysteresis) clears it.
    await page.goto(store("settings"));
    await page
      .getByTestId("threshold-row")
      .filter({ hasText: "Whole store" })
      .filter({ hasNotText: "all stores" })
      .getByRole("button", { name: "Edit" })
      .click();
    await page.getByTestId("threshold-input").fill("50");
    await page.getByTestId("save-threshold").click();
    await expect(page.getByTestId("threshold-outcome").textContent()).resolves.toMatch(/0 raised, 1 cleared/);
    await page.goto(store("flags"));
    await page.getByTestId("no-flags").waitFor();
    await expect(page.getByTestId("cleared-row").getAttribute("data-sku")).resolves.toBe(s.items.peanuts.sku);
    await page.goto(store("audit"));
    expect(await page.locator('[data-testid="audit-row"][data-action^="threshold."]').count()).toBe(2);
    await context.close();
  });

  it("imports sales CSV, refuses a malformed one, and shows sales against emotion", async () => {
    const { context, page } = await pageAs("merchandiser", `/stores/${s.store.slug}/sales`);
    const today = new Intl.DateTimeFormat("en-CA", { timeZone: s.store.timezone }).format(new Date());
    const day = (offset: number) => {
      const d = new Date(`${today}T12:00:00Z`);
      d.setUTCDate(d.getUTCDate() + offset);
      return d.toISOString().slice(0, 10);
    };
    const good = [
      "sku,period_start,units,revenue,currency",
      `${s.items.peanuts.sku},${day(-2)},12,29.88,EUR`,
      `${s.items.peanuts.sku},${day(-1)},9,22.41,EUR`,
      `${s.items.peanuts.sku},${day(0)},4,9.96,EUR`,
    ].join("\n");
    await page
      .getByTestId("sales-file")
      .setInputFiles({ name: "sales.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect(page.getByTestId("import-ok").textContent()).resolves.toMatch(
      /Imported 3 rows for 1 product/,
    );
    await expect(
      page.locator(`[data-testid="sales-overview-row"][data-sku="${s.items.peanuts.sku}"]`).textContent(),
    ).resolves.toMatch(/3.*25/);

    const bad = [
      "sku,period_start,units,revenue",
      `${s.items.peanuts.sku},yesterday,3,1.00`,
      `NOPE-${s.tag},${day(-1)},3,1.00`,
    ].join("\n");
    await page
      .getByTestId("sales-file")
      .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByRole("button", { name: "Import" }).click();
    const errors = page.getByTestId("import-errors");
    await expect(errors.textContent()).resolves.toMatch(/Nothing was imported: 2 problems/);
    await expect(errors.textContent()).resolves.toMatch(/Line 2: period_start "yesterday"/);
    await expect(errors.textContent()).resolves.toMatch(/Line 3: no product with SKU/);
    await page.screenshot({ path: path.join(OUT, "web-sales-import.png"), fullPage: true });

    await page.goto(store(`products/${s.items.peanuts.id}`));
    const rows = page.getByTestId("sales-row");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(3);
    // Today's sales period holds the 30 interactions seeded this hour: 20 of them rejections.
    await expect(rows.last().textContent()).resolves.toMatch(/4.*30.*67 %/);
    await expect(page.getByTestId("report-n").textContent()).resolves.toBe("30");
    await page.screenshot({ path: path.join(OUT, "web-item-report.png"), fullPage: true });
    await context.close();
  });

  it("updates the live view from the workers' events", async () => {
    const { context, page } = await pageAs("merchandiser", `/stores/${s.store.slug}/live`);
    await page.waitForSelector('[data-testid="live-status"][data-state="live"]');
    const publish = (e: LiveEvent) => redis.publish(liveChannel(s.store.id, prefix), encodeLiveEvent(e));
    const now = Date.now();
    // Interactions join the live view LIVE_DELAY_MS after they ended: these ended just before that.
    const ended = now - LIVE_DELAY_MS - 1000;
    for (let i = 0; i < 5; i++)
      await publish({
        kind: "interaction",
        storeId: s.store.id,
        zoneId: s.zones.drinks,
        itemId: s.items.cola.id,
        interactionId: `live-${s.tag}-${i}`,
        at: ended + i,
        dominant: i < 2 ? "disgust" : "happy",
        valence: 0,
        negative: i < 2,
        dwellMs: 4000,
      });
    await publish({
      kind: "zone-distribution",
      storeId: s.store.id,
      at: now,
      zones: [{ zoneId: s.zones.drinks, shoppers: 6, negative: 2, expressions: [1, 2, 0, 3, 0, 0, 0] }],
    });
    await publish({
      kind: "flag",
      storeId: s.store.id,
      itemId: s.items.cola.id,
      flagId: `flag-${s.tag}`,
      state: "raised",
      at: now,
      lower: 0.31,
      threshold: 0.2,
    });
    const drinks = page.locator('[data-testid="live-zone"][data-zone="Drinks"]');
    await page.waitForFunction(() =>
      /5 interactions, 40 % with a negative expression/.test(
        document.querySelector('[data-zone="Drinks"] [data-testid="live-visits"]')?.textContent ?? "",
      ),
    );
    await expect(drinks.getByTestId("live-shoppers").textContent()).resolves.toBe("6 faces now");
    await expect(page.getByTestId("ticker-entry").first().textContent()).resolves.toMatch(/Cola flagged/);
    await page.screenshot({ path: path.join(OUT, "web-live.png"), fullPage: true });
    await context.close();
  });

  it("exports a report as CSV with the page's k-anonymity", async () => {
    const { context, page } = await pageAs("merchandiser", `/stores/${s.store.slug}/products`);
    const res = await page.request.get(`${web.url}/api/export/products?storeSlug=${s.store.slug}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-disposition"]).toMatch(/attachment; filename=".*-products-.*\.csv"/);
    const lines = (await res.text()).trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^sku,name,category,flagged,interactions,hidden_below_k,count_angry/);
    expect(lines[0]).toMatch(
      /,negative_interactions,negative_rate,negative_rate_lower_95,negative_rate_upper_95$/,
    );
    const cola = lines.find((l) => l.startsWith(s.items.cola.sku))!;
    expect(cola).toMatch(/,2,true,,,,/); // 2 interactions, everything else hidden
    await context.close();
    const anonymous = await browser.newContext();
    expect(
      (await anonymous.request.get(`${web.url}/api/export/products?storeSlug=${s.store.slug}`)).status(),
    ).toBe(401);
    await anonymous.close();
  });
});
