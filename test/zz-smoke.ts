import { launchChromium } from "./support/browser.ts";
const base = "http://127.0.0.1:3107";
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log("console:", m.text()); });
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(`${base}/stores/demo/map`);
await page.waitForURL(/sign-in/);
await page.getByLabel("Email").fill("merchandiser@shelf.example");
await page.getByLabel("Password").fill("shelf-demo-merchandiser");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForURL(/stores\/demo\/map/);
await page.waitForSelector('[data-map-state="ready"]', { timeout: 20000 }).catch((e) => console.log("map not ready", e.message));
await page.screenshot({ path: "/tmp/smoke-map.png", fullPage: true });
for (const p of ["products", "flags", "trends", "sales"]) {
  await page.goto(`${base}/stores/demo/${p}`);
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `/tmp/smoke-${p}.png`, fullPage: true });
}
const first = page.locator('[data-testid="item-row"] a').first();
await page.goto(`${base}/stores/demo/products`);
await first.click();
await page.waitForLoadState("networkidle");
await page.screenshot({ path: "/tmp/smoke-item.png", fullPage: true });
await browser.close();
