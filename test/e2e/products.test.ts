import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { EXPRESSIONS, type Expression } from "@shelf/core";
import { createDb, DEMO, seedDemoStore, type Db } from "@shelf/db";
import { writeInteraction } from "@shelf/worker";
import { ROOT, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { launchChromium } from "../support/browser.ts";
import { createUser, FIXTURE_PASSWORD } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { signIn, webTestEnv } from "../support/web-session.ts";

const OUT = path.join(ROOT, "test-results");

function probs(dominant: Expression): number[] {
  return EXPRESSIONS.map((e) => (e === dominant ? 0.7 : 0.05));
}

describe("products page in Chromium", () => {
  const url = testDatabaseUrl();
  let db: Db;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let browser: Browser;
  let merchandiser: { id: string; email: string };
  let superAdmin: { id: string; email: string };

  beforeAll(async () => {
    db = createDb({ url });
    const { storeId, cameraId } = await seedDemoStore(db);
    merchandiser = await createUser(db, { role: "merchandiser", storeId });
    superAdmin = await createUser(db, { superAdmin: true, label: "super" });
    const crisps = await db.item.findUniqueOrThrow({ where: { sku: "SNK-001" }, include: { slots: true } });
    const zoneId = crisps.slots[0]!.zoneId;
    const t0 = Date.UTC(2026, 10, 20, 10);
    const dominants: Expression[] = ["happy", "happy", "disgust", "neutral", "sad"]; // k = 5: just visible
    for (const [n, dominant] of dominants.entries()) {
      await writeInteraction(db, {
        id: `e2e-${n}`,
        context: {
          storeId,
          cameraId,
          zoneId,
          itemId: crisps.id,
          trackKey: `e2e:${n}:1`,
          calibrationVersion: 1,
        },
        startedAt: t0 + n * 60_000,
        endedAt: t0 + n * 60_000 + 5000,
        dwellMs: 5000,
        sampleCount: 3,
        meanProbs: probs(dominant),
        dominant,
        valence: dominant === "happy" ? 70 : dominant === "disgust" ? -70 : 0,
        hesitation: false,
        negative: dominant === "disgust",
      });
    }
    web = await startWebServer({ DATABASE_URL: url, REDIS_URL: testRedisUrl(), ...webTestEnv() });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await db?.user.deleteMany({
      where: { id: { in: [merchandiser?.id, superAdmin?.id].filter((id): id is string => !!id) } },
    });
    await db?.$disconnect();
  });

  it("lists the demo store's products with interaction counts and the expression mix", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // The interactions were on 2026-11-20 (store time): a range around that day, whatever today is.
    await signIn(
      page,
      web.url,
      merchandiser.email,
      FIXTURE_PASSWORD,
      "/stores/demo/products?from=2026-11-01&to=2026-11-30",
    );
    await page.getByRole("heading", { name: /Products — Demo Market/ }).waitFor();
    const rows = page.getByTestId("item-row");
    await rows.first().waitFor();
    const skus = DEMO.zones.flatMap((z) => z.items.map((i) => i.sku));
    expect(await rows.count()).toBe(skus.length);
    const crisps = page.locator('[data-testid="item-row"][data-sku="SNK-001"]');
    expect(await crisps.getByTestId("interactions").textContent()).toBe("5");
    // The mix is drawn with an accessible label: 2 of 5 happy, 1 each disgust, sad, neutral.
    expect(await crisps.getByRole("img").getAttribute("aria-label")).toBe(
      "disgust 20%, happy 40%, sad 20%, neutral 20%",
    );
    const other = page.locator('[data-testid="item-row"][data-sku="BEV-002"]');
    expect(await other.getByTestId("interactions").textContent()).toBe("0");
    expect(await other.textContent()).toMatch(/no interactions yet/);
    mkdirSync(OUT, { recursive: true });
    await page.screenshot({ path: path.join(OUT, "products.png"), fullPage: true });
  });

  it("answers a missing store with a clear page, not a crash, and tells outsiders nothing more", async () => {
    const admin = await browser.newContext();
    const page = await admin.newPage();
    await signIn(page, web.url, superAdmin.email, FIXTURE_PASSWORD, "/stores/nowhere/products");
    await page.getByRole("heading", { name: /could not be found/i }).waitFor();
    await admin.close();
    // Someone without a role there cannot tell a missing store from one they may not see.
    const other = await browser.newContext();
    const page2 = await other.newPage();
    await signIn(page2, web.url, merchandiser.email, FIXTURE_PASSWORD, "/stores/nowhere/products");
    await page2.getByRole("heading", { name: "Not for your role" }).waitFor();
    await other.close();
  });
});
