import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { pino } from "pino";
import { QUEUES, redisLayout } from "@shelf/core";
import { createDb, type Db } from "@shelf/db";
import { CONSENT_TEXT, SURVEY_RATE_LIMITS, type InteractionEvent } from "@shelf/survey-engine";
import { startWorkers, type RunningWorkers } from "@shelf/worker";
import { queueSurveyTrigger } from "../../apps/worker/src/processors/surveys.ts";
import { createTextAnalyzer } from "@shelf/survey-engine/text";
import { createInvite } from "../../packages/api/src/survey/invites.ts";
import { issuePairingCode } from "../../packages/api/src/survey/kiosk-pairing.ts";
import { submitSurvey } from "../../packages/api/src/survey/submit.ts";
import { randomPrefix, ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { launchChromium } from "../support/browser.ts";
import { createUser, FIXTURE_PASSWORD } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { signIn, webTestEnv } from "../support/web-session.ts";
import { obliterateQueues } from "../support/redis-layout.ts";

/**
 * Shopper surveys in Chromium against the built app, real PostgreSQL and Redis: scan-QR flow (consent →
 * answers → thanks), decline, reused / forged / expired links, hostile free text (stored verbatim,
 * rendered escaped), the kiosk receiving a live prompt after a negative interaction is published, and
 * flooding (rate limited). The printable QR codes and summaries are read as the store's merchandiser (and
 * refused to anyone else); shoppers need no account. Uses its own store, item, category, users and Redis
 * prefix.
 */

const OUT = path.join(ROOT, "test-results");
const SECRET = "e2e-survey-secret-".padEnd(48, "z");
const HOSTILE = `The packaging is awful <script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;
const mobile = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

describe("shopper surveys in Chromium", () => {
  const url = testDatabaseUrl();
  const redisUrl = testRedisUrl();
  const prefix = randomPrefix("survey-e2e");
  const tag = randomBytes(4).toString("hex");
  let db: Db;
  let redis: Redis;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  /** The worker: it decides kiosk prompts (the kiosk stream only delivers them). */
  let workers: RunningWorkers;
  let surveys: Queue;
  let browser: Browser;
  let store: { id: string; slug: string };
  let item: { id: string; name: string; category: string };
  let kiosk: { id: string };
  let zoneId: string;
  const users: { id: string; email: string }[] = [];
  /** Signed in as the store's merchandiser: the QR pages and codes are theirs. */
  let merchandiser: BrowserContext;

  /** Dialogs any page opened (an injected script's alert would land here); checked after every test. */
  const dialogs: string[] = [];
  async function guarded(page: Page): Promise<Page> {
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    return page;
  }

  /** Rate-limit windows are aligned to the minute: start a flood well inside one. */
  async function awayFromWindowEdge(): Promise<void> {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 5000) await new Promise((r) => setTimeout(r, left + 200));
  }

  /** The URL the item's printed QR code holds, read off its shelf sign by the merchandiser. */
  async function shelfQrUrl(): Promise<string> {
    const page = await merchandiser.newPage();
    try {
      await page.goto(`${web.url}/qr/${store.slug}/${item.id}`);
      const qrUrl = (await page.getByTestId("qr-url").textContent())!;
      // The short, revocable code of the item's sign (not the long signed code of older signs).
      expect(qrUrl).toMatch(/\/s\/q\/[a-z2-7]{12}$/);
      return qrUrl;
    } finally {
      await page.close();
    }
  }

  /** A shopper (no account) scans the printed code. */
  async function scanQr(page: Page): Promise<string> {
    await page.goto(await shelfQrUrl());
    await page.getByTestId("consent").waitFor();
    const token = new URL(page.url()).pathname.split("/")[2]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    return token;
  }

  beforeAll(async () => {
    db = createDb({ url });
    redis = new Redis(redisUrl);
    store = await db.store.create({
      data: { slug: `survey-e2e-${tag}`, name: "Survey E2E Market", settings: { create: {} } },
    });
    const plan = await db.floorPlan.create({
      data: { storeId: store.id, name: "Floor", widthM: 10, heightM: 10 },
    });
    const zone = await db.shelfZone.create({
      data: {
        storeId: store.id,
        floorPlanId: plan.id,
        name: "Snacks",
        polygon: [
          { x: 0, y: 0 },
          { x: 2, y: 0 },
          { x: 2, y: 2 },
        ],
      },
    });
    zoneId = zone.id;
    item = await db.item.create({
      data: { sku: `SRV-E2E-${tag}`, name: "Sea-salt crisps", category: `snacks-${tag}` },
    });
    await db.planogramSlot.create({ data: { zoneId: zone.id, itemId: item.id, start: 0, end: 1 } });
    kiosk = await db.kiosk.create({ data: { storeId: store.id, zoneId: zone.id, name: "Kiosk at Snacks" } });
    await db.flag.create({
      data: {
        storeId: store.id,
        itemId: item.id,
        rate: 0.4,
        lower: 0.3,
        upper: 0.5,
        n: 50,
        negatives: 20,
        threshold: 0.2,
        thresholdLevel: "global",
        windowHours: 168,
      },
    });
    for (const role of ["merchandiser", "staff"] as const)
      users.push(await createUser(db, { role, storeId: store.id }));
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: redisUrl,
      SURVEY_SECRET: SECRET,
      ...webTestEnv({ QUEUE_PREFIX: prefix }),
    });
    workers = startWorkers({
      db,
      redisUrl,
      prefix,
      analyzer: { classify: () => Promise.reject(new Error("not used")) },
      // Its decisions (prompted or why not) are kept for a failed test's post-mortem.
      logger: pino(
        { level: "info" },
        pino.destination({
          dest: path.join(ROOT, "test-results", "logs", `survey-worker-${tag}.log`),
          mkdir: true,
        }),
      ),
    });
    surveys = new Queue(QUEUES.surveys, {
      connection: { url: redisUrl },
      prefix: redisLayout(prefix).central,
    });
    browser = await launchChromium();
    merchandiser = await browser.newContext();
    await signIn(await merchandiser.newPage(), web.url, users[0]!.email, FIXTURE_PASSWORD);
    mkdirSync(OUT, { recursive: true });
  });

  afterEach(() => {
    expect(dialogs).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await workers?.close();
    await obliterateQueues(redisUrl, prefix);
    await surveys?.close();
    const keys = (await redis?.keys(`${prefix}:*`)) ?? [];
    if (keys.length) await redis.del(...keys);
    await redis?.quit();
    if (store) await db.store.delete({ where: { id: store.id } });
    if (item) {
      await db.item.delete({ where: { id: item.id } });
      await db.surveyTemplate.deleteMany({ where: { category: item.category } });
    }
    if (users.length) await db.user.deleteMany({ where: { id: { in: users.map((u) => u.id) } } });
    await db?.$disconnect();
  });

  it("serves printable QR codes as PNG and SVG to the store's merchandiser", async () => {
    const png = await merchandiser.request.get(`${web.url}/qr/${store.slug}/${item.id}/code.png?width=400`);
    expect(png.headers()["content-type"]).toBe("image/png");
    const bytes = await png.body();
    expect(bytes.subarray(0, 4).toString("hex")).toBe("89504e47");
    expect(bytes.readUInt32BE(16)).toBe(400);
    const svg = await merchandiser.request.get(`${web.url}/qr/${store.slug}/${item.id}/code.svg`);
    expect(svg.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await merchandiser.request.get(`${web.url}/qr/${store.slug}/nope/code.svg`)).status()).toBe(404);
    const list = await merchandiser.newPage();
    await list.goto(`${web.url}/qr/${store.slug}`);
    expect(await list.getByTestId("active-survey").getAttribute("data-sku")).toBe(`SRV-E2E-${tag}`);
    await list.close();
  });

  it("operator: flag → Print shelf sign (short code, store time, localhost warning); Surveys tab retires it; an unknown kiosk is a friendly 404", async () => {
    // Not guarded: this page answers the "Retire signs" confirmation itself.
    const page = await merchandiser.newPage();
    await page.goto(`${web.url}/stores/${store.slug}/flags`);
    await page.getByTestId("flag-print-sign").first().click();
    await page.waitForURL(new RegExp(`/qr/${store.slug}/${item.id}$`));
    const first = (await page.getByTestId("qr-url").textContent())!;
    expect(first).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/s\/q\/[a-z2-7]{12}$/);
    // The test server has no PUBLIC_BASE_URL and runs on 127.0.0.1: printed codes would not reach a phone.
    await page.getByTestId("local-origin-warning").waitFor();
    expect(await page.getByTestId("qr-issued").textContent()).toMatch(/\(UTC\)$/);
    await page.screenshot({ path: path.join(OUT, "shelf-sign.png"), fullPage: true });

    await page.goto(`${web.url}/stores/${store.slug}/surveys`);
    const row = page.locator(`[data-testid=survey-item][data-sku="SRV-E2E-${tag}"]`);
    expect(await row.getByTestId("survey-state").textContent()).toBe("running (flagged)");
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Retire signs" }).click();
    await page.getByTestId("survey-notice").waitFor();
    await page.screenshot({ path: path.join(OUT, "surveys-tab.png"), fullPage: true });
    const old = await fetch(first, { redirect: "manual" });
    expect(old.headers.get("location")).toBe("/s/status/invalid");
    const next = await shelfQrUrl();
    expect(next).not.toBe(first);

    const unknown = await page.goto(`${web.url}/kiosk/no-such-kiosk`);
    expect(unknown!.status()).toBe(404);
    await page.getByTestId("kiosk-not-found").waitFor();
    await page.close();
  });

  it("keeps the QR pages and codes from signed-out visitors and other roles", async () => {
    const sign = `/qr/${store.slug}/${item.id}`;
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    for (const route of [sign, `/qr/${store.slug}`]) {
      await page.goto(`${web.url}${route}`);
      await page.waitForURL(/\/sign-in\?next=/);
      expect(new URL(page.url()).searchParams.get("next")).toBe(route);
    }
    for (const ext of ["svg", "png"]) {
      const res = await fetch(`${web.url}${sign}/code.${ext}`);
      expect(res.status, `code.${ext}`).toBe(401);
      expect(res.headers.get("content-type")).not.toMatch(/^image\//);
    }
    await anonymous.close();

    // Signed in, but staff: cameras and zones, not shoppers' answers.
    const staff = await browser.newContext();
    const staffPage = await staff.newPage();
    await signIn(staffPage, web.url, users[1]!.email, FIXTURE_PASSWORD);
    for (const route of [sign, `/qr/${store.slug}`]) {
      // No loading boundary: the page decides before it answers, so the refusal is a 403 with the 403 page.
      const res = await staffPage.goto(`${web.url}${route}`);
      expect(res!.status(), route).toBe(403);
      await staffPage.getByRole("heading", { name: "Not for your role" }).waitFor();
      expect(await staffPage.getByTestId("qr-url").count()).toBe(0);
      expect(await staffPage.getByTestId("active-survey").count()).toBe(0);
    }
    expect((await staff.request.get(`${web.url}${sign}/code.svg`)).status()).toBe(403);
    await staff.close();
  });

  it("scan-QR flow: consent → answers → thanks; the text is stored verbatim; the link then refuses reuse", async () => {
    const page = await guarded(await browser.newPage(mobile));
    const token = await scanQr(page);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(
      "Can we ask you about Sea-salt crisps?",
    );
    await expect(page.getByText("Nothing identifies you.", { exact: false }).isVisible()).resolves.toBe(true);
    // Nothing is stored by showing the consent screen.
    const inviteRow = await db.surveyInvite.findFirstOrThrow({
      where: { itemId: item.id },
      orderBy: { createdAt: "desc" },
    });
    expect(await db.consent.count({ where: { inviteId: inviteRow.id } })).toBe(0);
    await page.screenshot({ path: path.join(OUT, "survey-consent.png"), fullPage: true });
    // Keyboard: focus the yes button and press Enter.
    await page.getByRole("button", { name: "Yes, I’ll answer" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Send" }).waitFor();
    expect(await db.consent.count({ where: { inviteId: inviteRow.id } })).toBe(0);
    // Every control has an accessible name; touch targets are at least 44 px tall.
    await page.getByRole("radio", { name: "2", exact: true }).check();
    await page.getByRole("checkbox", { name: "Packaging" }).check();
    const box = await page.getByText("Packaging", { exact: true }).locator("xpath=..").boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
    await page.getByLabel("Anything else you would like to tell us?").fill(HOSTILE);
    await page.screenshot({ path: path.join(OUT, "survey-questions.png"), fullPage: true });
    await page.getByRole("button", { name: "Send" }).click();
    await page.waitForURL(/\/s\/status\/thanks$/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Thank you!");
    const response = await db.surveyResponse.findUniqueOrThrow({ where: { inviteId: inviteRow.id } });
    expect(response.freeText).toBe(HOSTILE);
    expect(response.answers).toEqual({ overall: 2, reason: ["packaging"], comment: HOSTILE });
    expect(await db.consent.findUniqueOrThrow({ where: { inviteId: inviteRow.id } })).toMatchObject({
      granted: true,
    });

    // Reused token: the page says so, and a replayed POST stores nothing.
    await page.goto(`${web.url}/s/${token}`);
    expect(await page.getByTestId("survey-status").getAttribute("data-status")).toBe("used");
    await page.goto(`${web.url}/s/${token}/questions?consent=x`);
    expect(await page.getByTestId("survey-status").getAttribute("data-status")).toBe("used");
    const replay = await fetch(`${web.url}/s/${token}/answer`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ consent: response.consentTextVersion, "q.overall": "5" }).toString(),
    });
    expect(replay.status).toBe(303);
    expect(replay.headers.get("location")).toBe("/s/status/used");
    expect(await db.surveyResponse.count({ where: { inviteId: inviteRow.id } })).toBe(1);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it("renders script-laden answers escaped in the summary", async () => {
    // A second answer sharing the words, so the topic has examples to quote.
    const { token } = await createInvite({
      db,
      secret: SECRET,
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const saved = await submitSurvey({
      db,
      analyzer: createTextAnalyzer(),
      secret: SECRET,
      token,
      consentVersion: CONSENT_TEXT.version,
      fields: [
        ["q.overall", "1"],
        ["q.comment", HOSTILE],
      ],
    });
    expect(saved.status).toBe("saved");
    const page = await guarded(await merchandiser.newPage());
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${web.url}/qr/${store.slug}/${item.id}`);
    const examples = page.getByTestId("example-answer");
    await examples.first().waitFor();
    expect(await examples.first().textContent()).toBe(HOSTILE);
    expect(await page.locator("[data-testid=survey-summary] script").count()).toBe(0);
    expect(await page.locator("[data-testid=survey-summary] img").count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.getByTestId("summary-responses").textContent()).toBe("2");
    await page.screenshot({ path: path.join(OUT, "survey-summary.png"), fullPage: true });
  });

  it("decline flow: one tap ends it, records a declined consent and no answers", async () => {
    const page = await guarded(await browser.newPage(mobile));
    const token = await scanQr(page);
    await page.getByRole("button", { name: "No, thanks" }).click();
    await page.waitForURL(/\/s\/status\/declined$/);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("No problem");
    const invite = await db.surveyInvite.findFirstOrThrow({
      where: { itemId: item.id },
      orderBy: { createdAt: "desc" },
    });
    expect(invite.usedAt).not.toBeNull();
    expect(await db.consent.findUniqueOrThrow({ where: { inviteId: invite.id } })).toMatchObject({
      granted: false,
    });
    expect(await db.surveyResponse.count({ where: { inviteId: invite.id } })).toBe(0);
    await page.goto(`${web.url}/s/${token}`);
    expect(await page.getByTestId("survey-status").getAttribute("data-status")).toBe("used");
  });

  it("forged, tampered and expired links get a friendly page", async () => {
    const page = await guarded(await browser.newPage(mobile));
    const { token } = await createInvite({
      db,
      secret: SECRET,
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const forged = await createInvite({
      db,
      secret: "an-attackers-own-secret-".padEnd(40, "q"),
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const expired = await createInvite({
      db,
      secret: SECRET,
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 1000,
      now: new Date(Date.now() - 60_000),
    });
    for (const [t, status] of [
      [forged.token, "invalid"],
      [`${token.slice(0, -3)}AAA`, "invalid"],
      ["not-a-token", "invalid"],
      [expired.token, "expired"],
    ] as const) {
      const res = await page.goto(`${web.url}/s/${t}`);
      expect(res!.status()).toBe(200);
      expect(await page.getByTestId("survey-status").getAttribute("data-status"), t).toBe(status);
    }
    const badCode = await fetch(`${web.url}/s/q/eyJzIjoieCIsImkiOiJ5In0.AAAAAAAAAAAAAAAAAAAAAA`, {
      redirect: "manual",
    });
    expect(badCode.headers.get("location")).toBe("/s/status/invalid");
  });

  it("oversized free text is refused (413 beyond the body cap, re-asked beyond maxlength) and nothing is stored", async () => {
    const { token, inviteId } = await createInvite({
      db,
      secret: SECRET,
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const consent = CONSENT_TEXT.version;
    const post = (comment: string) =>
      fetch(`${web.url}/s/${token}/answer`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ consent, "q.overall": "3", "q.comment": comment }).toString(),
      });
    expect((await post("x".repeat(400_000))).status).toBe(413);
    const tooLong = await post("y".repeat(3000));
    expect(tooLong.status).toBe(303);
    const location = tooLong.headers.get("location")!;
    expect(location).toMatch(/\/questions\?consent=.*&invalid=comment$/);
    const page = await guarded(await browser.newPage(mobile));
    await page.goto(`${web.url}${location}`);
    expect(await page.getByTestId("answer-errors").textContent()).toContain(
      "Anything else you would like to tell us?",
    );
    expect(
      await page.getByLabel("Anything else you would like to tell us?").getAttribute("aria-invalid"),
    ).toBe("true");
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(0);
  });

  it("kiosk: a negative interaction, decided on by the worker, brings up a live prompt that opens a kiosk survey", async () => {
    const page = await guarded(
      await browser.newPage({ viewport: { width: 1024, height: 768 }, hasTouch: true }),
    );
    // Unpaired, the kiosk page sends the device to the pairing form; the admin's one-time code pairs it.
    await page.goto(`${web.url}/kiosk/${kiosk.id}`);
    await page.waitForURL(/\/kiosk\/pair$/);
    const { code } = await issuePairingCode(db, kiosk.id, SECRET);
    await page.getByLabel("Pairing code").fill(code);
    await page.getByRole("button", { name: "Pair" }).click();
    await page.waitForURL(new RegExp(`/kiosk/${kiosk.id}$`));
    await page.locator('[data-testid="kiosk"][data-kiosk-status="ready"]').waitFor({ timeout: 15_000 });
    const event: InteractionEvent = {
      kind: "interaction",
      storeId: store.id,
      zoneId,
      itemId: item.id,
      interactionId: `e2e-${tag}`,
      at: Date.now(),
      dominant: "disgust",
      valence: -80,
      negative: true,
      dwellMs: 5000,
    };
    // As the visits processor hands a new interaction to the survey trigger engine.
    const handOff = queueSurveyTrigger(surveys);
    await handOff(event);
    const prompt = page.getByTestId("kiosk-prompt");
    await prompt.waitFor({ timeout: 15_000 });
    expect(await prompt.textContent()).toContain("Sea-salt crisps");
    const start = page.getByRole("link", { name: "Start" });
    type FocusDoc = { document: { activeElement: { textContent: string | null } | null } };
    const focused = await page.evaluate(
      () => (globalThis as unknown as FocusDoc).document.activeElement?.textContent,
    );
    expect(focused?.trim()).toBe("Start");
    const box = await start.boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(64);
    await page.screenshot({ path: path.join(OUT, "survey-kiosk-prompt.png") });
    await start.click();
    await page.getByTestId("consent").waitFor();
    expect(await page.locator("[data-survey-mode]").getAttribute("data-survey-mode")).toBe("kiosk");
    const invite = await db.surveyInvite.findFirstOrThrow({ where: { kioskId: kiosk.id } });
    expect(invite.channel).toBe("kiosk");
    await page.getByRole("button", { name: "No, thanks" }).click();
    await page.waitForURL(/\/s\/status\/declined\?kiosk=/);
    await page.getByRole("link", { name: "Back to the start" }).click();
    await page.locator('[data-testid="kiosk"][data-kiosk-status="ready"]').waitFor({ timeout: 15_000 });
    // A second negative interaction within the cooldown brings no prompt.
    await handOff({ ...event, interactionId: `e2e-${tag}-2`, at: Date.now() });
    await page.waitForTimeout(1500);
    expect(await page.getByTestId("kiosk-prompt").count()).toBe(0);
    expect(await db.surveyInvite.count({ where: { kioskId: kiosk.id } })).toBe(1);
  });

  it("flooding is rate limited: per token on submit, per client (before any lookup) on QR scans", async () => {
    const { token, inviteId } = await createInvite({
      db,
      secret: SECRET,
      storeId: store.id,
      itemId: item.id,
      channel: "qr",
      ttlMs: 60_000,
    });
    const consent = CONSENT_TEXT.version;
    await awayFromWindowEdge();
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${web.url}/s/${token}/answer`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ consent, "q.overall": "4" }).toString(),
        }).then((r) => r.status),
      ),
    );
    // 5 per token per minute: the rest are refused before any work is done.
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
    expect(statuses.filter((s) => s === 303).length).toBeLessThanOrEqual(5);
    expect(await db.surveyResponse.count({ where: { inviteId } })).toBe(1);

    // Scans of one printed code from one client, whatever address it claims (X-Forwarded-For is not trusted
    // here): the per-client limit refuses it first, before any lookup, and its refused scans do not use up
    // the code's own hourly budget. (The per-code limit and its flood alert, with many clients behind a
    // trusted proxy: test/security/survey-flood.test.ts and test/integration/survey-ops.test.ts.)
    const qrUrl = await shelfQrUrl();
    await awayFromWindowEdge();
    const scans = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        fetch(qrUrl, { redirect: "manual", headers: { "x-forwarded-for": `198.51.100.${i}` } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(scans.filter((s) => s === 303).length).toBeLessThanOrEqual(SURVEY_RATE_LIMITS["qr-client"].limit);
    expect(scans.filter((s) => s === 429).length).toBeGreaterThanOrEqual(
      40 - SURVEY_RATE_LIMITS["qr-client"].limit,
    );
    expect(await db.auditLog.count({ where: { storeId: store.id, action: "survey.code-limit" } })).toBe(0);
  });
});
