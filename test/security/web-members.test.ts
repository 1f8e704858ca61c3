import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { createUser, createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";
import { signInHttp, trpcMutation, TrpcHttpError } from "../support/web-http.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

describe("a store admin probing accounts through the running web app", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let s: WebStore;
  let other: WebStore;
  const users: SessionUser[] = [];

  beforeAll(async () => {
    s = await createWebStore(db);
    other = await createWebStore(db);
    web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      QUEUE_PREFIX: randomPrefix("members"),
    });
  });

  afterAll(async () => {
    await web?.stop();
    await db.user.deleteMany({ where: { id: { in: users.map((u) => u.id) } } });
    await dropWebStore(db, s);
    await dropWebStore(db, other);
    await db.$disconnect();
  });

  it("asks the add-member form whether an email has an account anywhere on the install", async () => {
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    // Someone in another store, whom this admin has no business knowing about.
    const elsewhere = await createUser(db, { role: "merchandiser", storeId: other.store.id });
    users.push(admin, elsewhere);
    const cookie = await signInHttp(web.url, admin.email);
    const probe = async (email: string) => {
      try {
        await trpcMutation(web.url, cookie, "admin.addMember", {
          storeSlug: s.store.slug,
          email,
          role: "staff",
        });
        return { status: 200, message: "added" };
      } catch (err) {
        if (!(err instanceof TrpcHttpError)) throw err;
        return { status: err.status, message: err.message.replace(email, "<email>") };
      }
    };
    const existing = await probe(elsewhere.email);
    const missing = await probe(`nobody-${s.tag}@test.example`);
    expect(existing).toEqual(missing);
    expect(existing.status).toBe(400);
    // And the probe added nobody.
    expect(await db.membership.count({ where: { storeId: s.store.id, userId: elsewhere.id } })).toBe(0);
  });
});
