import { launchChromium } from "./support/browser.ts";
const base = "http://127.0.0.1:3107";
const browser = await launchChromium();
async function as(email: string, password: string, pages: string[]) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.on("pageerror", (e) => console.log("pageerror:", e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) console.log(r.status(), r.url());
  });
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
  for (const p of pages) {
    await page.goto(`${base}${p}`);
    await page.waitForLoadState("load");
    await page.waitForTimeout(1500);
    const name = `${email.split("@")[0]}-${p.replaceAll("/", "_")}`;
    await page.screenshot({ path: `/tmp/smoke-${name}.png`, fullPage: true });
    console.log("ok", name, await page.title());
  }
  await ctx.close();
}
await as("staff@shelf.example", "shelf-demo-staff", [
  "/",
  "/stores/demo/cameras",
  "/stores/demo/zones",
  "/stores/demo/products",
]);
await as("admin@shelf.example", "shelf-demo-admin", [
  "/stores/demo/settings",
  "/stores/demo/members",
  "/stores/demo/audit",
  "/stores/demo/live",
]);
await as("super@shelf.example", "shelf-demo-super", ["/", "/admin"]);
await browser.close();
