import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { createUser, createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";
import { signInHttp } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

describe("framing and sniffing the running web app", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let s: WebStore;
  const userIds: string[] = [];

  beforeAll(async () => {
    s = await createWebStore(db);
    web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      QUEUE_PREFIX: randomPrefix("headers"),
    });
  });

  afterAll(async () => {
    await web?.stop();
    await dropWebStore(db, s);
    await db.user.deleteMany({ where: { id: { in: userIds } } });
    await db.$disconnect();
  });

  it("frames the kiosk, survey, shelf-code and sign-in pages inside another site", async () => {
    const pages = [
      "/sign-in",
      "/kiosk/pair",
      `/kiosk/${s.zones.snacks}`,
      "/s/not-a-token",
      "/s/status/thanks",
      `/qr/${s.store.slug}`,
      "/api/trpc/session.me",
      "/vendor/maplibre-gl-worker.mjs",
      "/no-such-page",
    ];
    for (const p of pages) {
      const res = await fetch(`${web.url}${p}`, { redirect: "manual" });
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(res.headers.get("x-frame-options"), p).toBe("DENY");
      expect(csp, p).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("x-content-type-options"), p).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), p).toBe("same-origin");
    }
  });

  it("runs a script from another origin, or an object, on a page that still renders", async () => {
    const res = await fetch(`${web.url}/sign-in`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Sign in");
    const csp = Object.fromEntries(
      (res.headers.get("content-security-policy") ?? "")
        .split(";")
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );
    expect(csp["default-src"]).toEqual(["'self'"]);
    expect(csp["script-src"]).not.toContain("*");
    expect(csp["script-src"]).not.toContain("'unsafe-eval'");
    expect(csp["object-src"]).toEqual(["'none'"]);
    expect(csp["base-uri"]).toEqual(["'self'"]);
    // The store map keeps working: maplibre's worker from /vendor, and the blob: workers map libraries make.
    expect(csp["worker-src"]).toEqual(expect.arrayContaining(["'self'", "blob:"]));
    const worker = await fetch(`${web.url}/vendor/maplibre-gl-worker.mjs`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get("content-type")).toMatch(/javascript/);
  });

  it("answers a missing page 404 and a page the role may not open 403, as the status, not only the text", async () => {
    const merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    const superAdmin = await createUser(db, { superAdmin: true, label: "super" });
    userIds.push(merchandiser.id, superAdmin.id);
    const asMerchandiser = await signInHttp(web.url, merchandiser.email);
    const asSuperAdmin = await signInHttp(web.url, superAdmin.email);
    const status = async (cookie: string | null, p: string) => {
      const res = await fetch(`${web.url}${p}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
      return { status: res.status, body: await res.text() };
    };
    const cases: [string | null, string, number, RegExp | null][] = [
      [null, "/no-such-page", 404, /could not be found/],
      [asMerchandiser, `/stores/${s.store.slug}/products`, 200, /Products/],
      [asMerchandiser, `/stores/${s.store.slug}/products/no-such-item`, 404, /could not be found/],
      [asMerchandiser, `/stores/${s.store.slug}/products?from=2026-13-40`, 404, /could not be found/],
      [asMerchandiser, `/stores/${s.store.slug}/settings`, 403, /Not for your role/],
      [asMerchandiser, `/stores/${s.store.slug}/cameras`, 403, /Not for your role/],
      // Without a role there, a missing store and someone else's store look the same.
      [asMerchandiser, "/stores/no-such-store/products", 403, /Not for your role/],
      [asSuperAdmin, "/stores/no-such-store/products", 404, /could not be found/],
      [asSuperAdmin, "/stores/no-such-store/flags", 404, /could not be found/],
      [asSuperAdmin, `/stores/no-such-store/products/x`, 404, /could not be found/],
      [null, `/stores/${s.store.slug}/products`, 307, null],
    ];
    for (const [cookie, p, expected, text] of cases) {
      const res = await status(cookie, p);
      expect(res.status, p).toBe(expected);
      if (text) expect(res.body, p).toMatch(text);
    }
  });

  it("has an icon, and /favicon.ico leads to it instead of a 404", async () => {
    const ico = await fetch(`${web.url}/favicon.ico`, { redirect: "manual" });
    expect(ico.status).toBe(308);
    const icon = await fetch(new URL(ico.headers.get("location")!, web.url));
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/image\/svg\+xml/);
    const page = await (await fetch(`${web.url}/sign-in`)).text();
    expect(page).toMatch(/<link rel="icon" href="\/icon\.svg/);
  });
});
