import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import {
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";
import { signInHttp, trpcHttp } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

/**
 * The data reports are drawn on: zones off the floor plan, and the product catalogue shared by every
 * store (a competitor's product names and SKUs, placed on one's own shelves). Through the built app.
 */
describe("zones and catalogue attacks", () => {
  const url = testDatabaseUrl();
  let db: Db;
  let a: WebStore;
  let b: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  const cookies = { a: "", b: "" };
  const userIds: string[] = [];
  const extraItems: string[] = [];

  const call = (who: keyof typeof cookies, kind: "query" | "mutation", path: string, input: unknown) =>
    trpcHttp(web.url, cookies[who], kind, path, input);

  beforeAll(async () => {
    db = createDb({ url });
    a = await createWebStore(db);
    b = await createWebStore(db);
    const staffA = await createUser(db, { role: "staff", storeId: a.store.id });
    const staffB = await createUser(db, { role: "staff", storeId: b.store.id });
    userIds.push(staffA.id, staffB.id);
    web = await startWebServer({
      DATABASE_URL: url,
      REDIS_URL: testRedisUrl(),
      ...webTestEnv({ QUEUE_PREFIX: randomPrefix("sec-zones") }),
    });
    cookies.a = await signInHttp(web.url, staffA.email, FIXTURE_PASSWORD);
    cookies.b = await signInHttp(web.url, staffB.email, FIXTURE_PASSWORD);
  });

  afterAll(async () => {
    await web?.stop();
    await db.user.deleteMany({ where: { id: { in: userIds } } });
    await db.item.deleteMany({ where: { id: { in: extraItems } } });
    if (a) await dropWebStore(db, a);
    if (b) await dropWebStore(db, b);
    await db?.$disconnect();
  });

  it("a zone drawn outside the floor plan is refused, naming the corner and the plan's size", async () => {
    const res = await call("a", "mutation", "zones.save", {
      storeSlug: a.store.slug,
      floorPlanId: a.planId,
      name: "Off the plan",
      polygon: [
        { x: 10, y: 1 },
        { x: 30, y: 1 },
        { x: 30, y: 4 },
      ],
      shelfLine: null,
      staffOnly: false,
      slots: [],
    });
    expect(res.status).toBe(400);
    // In plain words for the form (the field path travels in the error's data: test/integration/web-forms.test.ts).
    expect(res.message).toBe(
      "Corner 2 (30 m, 1 m) is outside the floor plan, which is 12 m wide and 8 m deep. Move it onto the plan.",
    );
    expect(await db.shelfZone.count({ where: { storeId: a.store.id, name: "Off the plan" } })).toBe(0);
  });

  it("another store's products are neither listed to nor placeable by a store's staff", async () => {
    const created = await call("a", "mutation", "zones.createItem", {
      storeSlug: a.store.slug,
      sku: `SECRET-${a.tag}`,
      name: "Unreleased recipe",
      category: "snacks",
    });
    expect(created.status).toBe(200);
    const itemId = (created.data as { id: string }).id;
    extraItems.push(itemId);
    const listed = async (who: "a" | "b", slug: string) =>
      (
        (await call(who, "query", "zones.list", { storeSlug: slug })).data as { items: { id: string }[] }
      ).items.map((i) => i.id);
    expect(await listed("a", a.store.slug)).toContain(itemId);
    const seenByB = await listed("b", b.store.slug);
    expect(seenByB).not.toContain(itemId);
    expect(seenByB).not.toContain(a.items.crisps.id);
    expect(seenByB).toContain(b.items.crisps.id);
    const placed = await call("b", "mutation", "zones.save", {
      storeSlug: b.store.slug,
      floorPlanId: b.planId,
      name: "Borrowed shelf",
      polygon: [
        { x: 1, y: 1 },
        { x: 3, y: 1 },
        { x: 3, y: 3 },
      ],
      shelfLine: null,
      staffOnly: false,
      slots: [{ itemId, start: 0, end: 1, level: 0 }],
    });
    expect(placed.status).toBe(404);
    expect(placed.message).toMatch(/^slots:/);
  });
});
