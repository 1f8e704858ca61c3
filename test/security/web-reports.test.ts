import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import {
  addRollups,
  createUser,
  createWebStore,
  dropWebStore,
  type WebStore,
} from "../support/web-fixtures.ts";
import { signInHttp, trpcMutation, TrpcHttpError } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

/** What a spreadsheet would run as a formula: = + - @ after any blanks or control characters, or tab / CR first. */
const FORMULA = /^(?:[\s\p{Cc}\p{Cf}\p{Z}]*[=+\-@]|[\t\r])/u;

describe("reports and exports of the running web app", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let s: WebStore;
  let merchandiser: SessionUser;
  let staff: SessionUser;
  let cookies: { merchandiser: string; staff: string };

  beforeAll(async () => {
    s = await createWebStore(db, { k: 1, minSample: 1 });
    merchandiser = await createUser(db, { role: "merchandiser", storeId: s.store.id });
    staff = await createUser(db, { role: "staff", storeId: s.store.id });
    // Names as an older version, a sales import or a direct database edit may have left them.
    await db.item.update({ where: { id: s.items.crisps.id }, data: { name: "=1+1\nx" } });
    await db.item.update({
      where: { id: s.items.peanuts.id },
      data: { name: ' \u0007=HYPERLINK("http://evil.example")' },
    });
    await db.shelfZone.update({ where: { id: s.zones.snacks }, data: { name: "\t@SUM(A1:A9)" } });
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000);
    for (const itemId of [s.items.crisps.id, s.items.peanuts.id])
      await addRollups(db, {
        storeId: s.store.id,
        zoneId: s.zones.snacks,
        itemId,
        hour,
        counts: { happy: 3 },
      });
    web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      QUEUE_PREFIX: randomPrefix("reports"),
    });
    cookies = {
      merchandiser: await signInHttp(web.url, merchandiser.email),
      staff: await signInHttp(web.url, staff.email),
    };
  });

  afterAll(async () => {
    await web?.stop();
    await db.user.deleteMany({ where: { id: { in: [merchandiser.id, staff.id] } } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  it("exports product and zone names that a spreadsheet runs as formulas", async () => {
    for (const report of ["products", "map-zones"]) {
      const res = await fetch(`${web.url}/api/export/${report}?storeSlug=${s.store.slug}`, {
        headers: { cookie: cookies.merchandiser },
      });
      expect(res.status, report).toBe(200);
      const { data } = Papa.parse<string[]>(await res.text(), { skipEmptyLines: true });
      const cells = data.flat();
      expect(cells.some((c) => c.includes("=1+1"))).toBe(true);
      expect(
        cells.filter((c) => FORMULA.test(c)),
        report,
      ).toEqual([]);
    }
  });

  it("creates a product whose name carries a line break and a formula", async () => {
    for (const name of ["Crisps\n=1+1", "Crisps\u0000", "Tab\tname", "\u202Egpj.exe"]) {
      const err = await trpcMutation(web.url, cookies.staff, "zones.createItem", {
        storeSlug: s.store.slug,
        sku: `CTRL-${s.tag}`,
        name,
        category: "snacks",
      }).catch((e: unknown) => e);
      expect(err, JSON.stringify(name)).toBeInstanceOf(TrpcHttpError);
      expect((err as TrpcHttpError).status).toBe(400);
      expect((err as TrpcHttpError).message).toMatch(/^name: must not contain control characters/);
    }
    expect(await db.item.count({ where: { sku: `CTRL-${s.tag}` } })).toBe(0);
  });

  it("asks for a report that ends on 9999-12-31", async () => {
    const page = await fetch(`${web.url}/stores/${s.store.slug}/products?to=9999-12-31`, {
      headers: { cookie: cookies.merchandiser },
    });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain("could not be found");
    const csv = await fetch(`${web.url}/api/export/products?storeSlug=${s.store.slug}&to=9999-12-31`, {
      headers: { cookie: cookies.merchandiser },
    });
    expect(csv.status).toBe(400);
    expect(await csv.text()).toMatch(/^to: "9999-12-31" is not a day/);
    const garbage = await fetch(`${web.url}/api/export/products?storeSlug=${s.store.slug}&from=yesterday`, {
      headers: { cookie: cookies.merchandiser },
    });
    expect(garbage.status).toBe(400);
  });

  it("reads refusals and missing pages as HTTP 200", async () => {
    const get = (p: string, cookie: string) =>
      fetch(`${web.url}${p}`, { headers: { cookie }, redirect: "manual" });
    // A role that may not open the page: the 403 page, with a 403.
    const forbidden = await get(`/stores/${s.store.slug}/products`, cookies.staff);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toContain("Not for your role");
    // No such store (403 like a store of someone else's: no probing for store names), and no such page.
    expect((await get(`/stores/no-such-store-${s.tag}/products`, cookies.merchandiser)).status).toBe(403);
    expect((await get(`/no-such-page-${s.tag}`, cookies.merchandiser)).status).toBe(404);
    // The page itself still answers 200.
    expect((await get(`/stores/${s.store.slug}/products`, cookies.merchandiser)).status).toBe(200);
  });
});
