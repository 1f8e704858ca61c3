import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Queue } from "bullmq";
import { pino } from "pino";
import { QUEUES, redisLayout } from "@shelf/core";
import { createDb, DEMO_STORY, seedDemoChain, type Db } from "@shelf/db";
import { CONSENT_TEXT, DEFAULT_QUESTIONS, type InteractionEvent } from "@shelf/survey-engine";
import { createTextAnalyzer } from "@shelf/survey-engine/text";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { queueSurveyTrigger } from "../../apps/worker/src/processors/surveys.ts";
import { enqueueDemoRescores } from "../../prisma/demo-rescore.ts";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { launchChromium } from "../support/browser.ts";
import { createUser, FIXTURE_PASSWORD } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { signIn, webTestEnv } from "../support/web-session.ts";

const SHOTS = path.join(ROOT, "test-results", "screenshots", "first-minute");
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/**
 * The first minute of each role on the demo chain (`npm start`'s data: seeded, then scored by the real worker),
 * in Chromium against the built app: a merchandiser reaches the worst product and the reason shoppers give in
 * at most three clicks from signing in; an admin creates and pairs a kiosk from the Kiosks tab and a negative
 * interaction brings its prompt; a shopper answers the rejected product's survey on a 390 px phone. Every store
 * page is opened at desktop and phone width (screenshots in test-results/screenshots/first-minute, not
 * committed) and answers below 400.
 */
describe("first minute on the demo (Chromium)", () => {
  const url = (() => {
    const u = new URL(testDatabaseUrl());
    u.pathname = `${u.pathname}_firstminute`;
    return u.toString();
  })();
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("first-minute");
  let db: Db;
  let workers: RunningWorkers;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let store: { id: string; slug: string };
  let rejected: { id: string; name: string };
  const people = { merchandiser: "", admin: "" };

  async function context(viewport: typeof DESKTOP, who?: keyof typeof people): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, hasTouch: viewport === PHONE });
    if (who) {
      const page = await ctx.newPage();
      await signIn(page, web.url, people[who], FIXTURE_PASSWORD, "/");
      await page.close();
    }
    return ctx;
  }

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(ROOT, "scripts/drop-database.mjs"), url], { cwd: ROOT });
    execFileSync(process.execPath, [path.join(ROOT, "scripts/prisma/migrate.mjs"), "deploy"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: "ignore",
    });
    db = createDb({ url });
    const seeded = await seedDemoChain(db, {
      analyzer: createTextAnalyzer(),
      questions: DEFAULT_QUESTIONS,
      consentVersion: CONSENT_TEXT.version,
    });
    const main = seeded.stores.find((s) => s.slug === "demo")!;
    store = { id: main.storeId, slug: main.slug };
    rejected = await db.item.findUniqueOrThrow({
      where: { sku: DEMO_STORY.rejected.sku },
      select: { id: true, name: true },
    });
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("no pixels in this test")) },
      logger: pino({ level: "silent" }),
    });
    // As `npm start` does after seeding: the worker scores every product and raises the flags.
    await enqueueDemoRescores({ redisUrl, prefix, storeIds: [store.id] });
    const deadline = Date.now() + 60_000;
    while (!(await db.flag.count({ where: { storeId: store.id, itemId: rejected.id, clearedAt: null } }))) {
      if (Date.now() > deadline)
        throw new Error("the worker raised no flag for the rejected product in 60 s");
      await new Promise((r) => setTimeout(r, 250));
    }
    people.merchandiser = (await createUser(db, { role: "merchandiser", storeId: store.id })).email;
    people.admin = (await createUser(db, { role: "admin", storeId: store.id })).email;
    web = await startWebServer({
      ...webTestEnv({ QUEUE_PREFIX: prefix }),
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      SURVEY_SECRET: "first-minute-survey-secret-".padEnd(48, "x"),
    });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await workers?.close();
    for (const name of [QUEUES.rescore, QUEUES.surveys, QUEUES.scoring, QUEUES.alerts]) {
      const q = new Queue(name, { connection: { url: redisUrl }, prefix: redisLayout(prefix).central });
      await q.obliterate({ force: true }).catch(() => undefined);
      await q.close();
    }
    await db?.$disconnect();
  });

  it("merchandiser: the worst product and the reason shoppers give, within 3 clicks of signing in", async () => {
    const ctx = await context(DESKTOP);
    const page = await ctx.newPage();
    let clicks = 0;
    const click = async (locator: ReturnType<Page["getByRole"]>) => {
      clicks++;
      await locator.click();
    };
    await page.goto(`${web.url}/sign-in`);
    await page.getByLabel("Email").fill(people.merchandiser);
    await page.getByLabel("Password").fill(FIXTURE_PASSWORD);
    await click(page.getByRole("button", { name: "Sign in" }));
    // The store's overview is the landing page: what needs attention now, worst first.
    await page.waitForURL(new RegExp(`/stores/${store.slug}/overview`), { timeout: 30_000 });
    const first = page.getByTestId("attention-row").first();
    expect(await first.getAttribute("data-sku")).toBe(DEMO_STORY.rejected.sku);
    expect(await first.getByTestId("top-reason").textContent()).toMatch(/taste/i);
    await page.screenshot({ path: path.join(SHOTS, "merchandiser-overview.png"), fullPage: true });
    await click(first.getByRole("link", { name: rejected.name }));
    await page.waitForURL(new RegExp(`/products/${rejected.id}`));
    // The product report: its flag, its rate with the definition one click away, and what shoppers said.
    await page.getByRole("heading", { name: "What shoppers wrote about" }).waitFor();
    expect(await page.getByText(/aftertaste/).count()).toBeGreaterThan(0);
    expect(await page.getByText("What is the negative-expression rate?").count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SHOTS, "merchandiser-worst-product.png"), fullPage: true });
    expect(clicks).toBeLessThanOrEqual(3);
    await ctx.close();
  });

  it("admin: creates and pairs a kiosk from the Kiosks tab; a negative interaction brings its prompt", async () => {
    const admin = await context(DESKTOP, "admin");
    const page = await admin.newPage();
    await page.goto(`${web.url}/stores/${store.slug}/kiosks`);
    const zone = await db.planogramSlot.findFirstOrThrow({
      where: { itemId: rejected.id, zone: { storeId: store.id } },
      select: { zone: { select: { id: true, name: true } } },
    });
    await page.getByLabel("Name").fill("Beverages kiosk");
    await page.getByLabel("Shelf zone").selectOption({ label: zone.zone.name });
    await page.getByRole("button", { name: "Create kiosk" }).click();
    const code = (await page.getByTestId("pairing-code").textContent())!.trim();
    const pairUrl = (await page.getByTestId("pairing-url").textContent())!.trim();
    await page.screenshot({ path: path.join(SHOTS, "admin-kiosk-paired.png"), fullPage: true });

    // The tablet: a browser of its own, no account.
    const tablet = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true });
    const screen = await tablet.newPage();
    await screen.goto(new URL(new URL(pairUrl).pathname + new URL(pairUrl).search, web.url).toString());
    await screen.getByLabel("Pairing code").fill(code);
    await screen.getByRole("button", { name: "Pair" }).click();
    await screen.locator('[data-testid="kiosk"][data-kiosk-status="ready"]').waitFor({ timeout: 15_000 });
    const kiosk = await db.kiosk.findFirstOrThrow({ where: { storeId: store.id, name: "Beverages kiosk" } });

    // A shopper frowns at the rejected product: the visits processor hands the interaction to the trigger engine.
    const surveys = new Queue(QUEUES.surveys, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    const event: InteractionEvent = {
      kind: "interaction",
      storeId: store.id,
      zoneId: zone.zone.id,
      itemId: rejected.id,
      interactionId: `first-minute-${Date.now()}`,
      at: Date.now(),
      dominant: "disgust",
      valence: -70,
      negative: true,
      dwellMs: 6000,
    };
    await queueSurveyTrigger(surveys)(event);
    const prompt = screen.getByTestId("kiosk-prompt");
    await prompt.waitFor({ timeout: 15_000 }).catch(async (err: unknown) => {
      // Say why (this timed out once in a full CI run and never alone): where the trigger job is and what the
      // trigger engine decided (its return value names the reason for no prompt), and the kiosk's state.
      const jobs = await surveys.getJobs(["waiting", "active", "delayed", "completed", "failed"]);
      const job = jobs.find((j) => (j.data as InteractionEvent).interactionId === event.interactionId);
      const state = job ? await job.getState() : "not in the queue";
      const status = await screen.getByTestId("kiosk").getAttribute("data-kiosk-status");
      throw new Error(
        `no kiosk prompt in 15 s: trigger job ${state}, returned ${JSON.stringify(job?.returnvalue ?? null)}` +
          `${job?.failedReason ? `, failed: ${job.failedReason}` : ""}; kiosk status ${status}`,
        { cause: err },
      );
    });
    expect(await prompt.textContent()).toContain(rejected.name);
    await screen.screenshot({ path: path.join(SHOTS, "kiosk-prompt.png") });
    await screen.getByRole("link", { name: "Start" }).click();
    await screen.getByTestId("consent").waitFor();
    expect(await db.surveyInvite.count({ where: { kioskId: kiosk.id, channel: "kiosk" } })).toBe(1);
    await surveys.close();
    await tablet.close();
    await admin.close();
  });

  it("shopper: answers the rejected product's survey on a 390 px phone", async () => {
    const merchandiser = await context(DESKTOP, "merchandiser");
    const sign = await merchandiser.newPage();
    await sign.goto(`${web.url}/qr/${store.slug}/${rejected.id}`);
    const qrUrl = (await sign.getByTestId("qr-url").textContent())!.trim();
    await merchandiser.close();

    const phone = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(new URL(new URL(qrUrl).pathname, web.url).toString());
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toContain(rejected.name);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SHOTS, "shopper-consent-390.png"), fullPage: true });
    await page.getByRole("button", { name: "Yes, I’ll answer" }).click();
    await page.getByRole("radio", { name: "2", exact: true }).check();
    await page
      .getByLabel("Anything else you would like to tell us?")
      .fill("Tastes of metal since the new recipe.");
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(SHOTS, "shopper-questions-390.png"), fullPage: true });
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForURL(/\/s\/status\/thanks$/);
    const latest = await db.surveyResponse.findFirstOrThrow({
      where: { itemId: rejected.id },
      orderBy: { createdAt: "desc" },
    });
    expect(latest.freeText).toBe("Tastes of metal since the new recipe.");
    await phone.close();
  });

  it("every store page answers below 400 at desktop and phone width (screenshots saved)", async () => {
    const pages = [
      "/overview",
      `/stores/${store.slug}/overview`,
      `/stores/${store.slug}/products`,
      `/stores/${store.slug}/products/${rejected.id}`,
      `/stores/${store.slug}/flags`,
      `/stores/${store.slug}/surveys`,
      `/stores/${store.slug}/map`,
      `/stores/${store.slug}/live`,
      `/stores/${store.slug}/traffic`,
      `/stores/${store.slug}/sales`,
      `/stores/${store.slug}/cameras`,
      `/stores/${store.slug}/zones`,
      `/stores/${store.slug}/settings`,
      `/stores/${store.slug}/members`,
      `/stores/${store.slug}/kiosks`,
      `/stores/${store.slug}/audit`,
      `/stores/${store.slug}/compliance`,
      `/privacy/${store.slug}`,
      "/about/measurements",
    ];
    for (const [label, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      const ctx = await context(viewport, "admin");
      const page = await ctx.newPage();
      for (const p of pages) {
        const res = await page.goto(`${web.url}${p}`);
        expect(res?.status(), `${p} at ${label} width`).toBeLessThan(400);
        await page.waitForLoadState("networkidle").catch(() => undefined);
        const name = p.replace(/^\//, "").replaceAll("/", "_") || "home";
        await page.screenshot({ path: path.join(SHOTS, `${label}-${name}.png`), fullPage: true });
      }
      await ctx.close();
    }
  });
});
