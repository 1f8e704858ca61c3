import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { createAuth, requestOrigin } from "../../packages/api/src/auth/auth.ts";
import { authConfig, AuthConfigError, DEV_AUTH_SECRET } from "../../packages/api/src/auth/config.ts";
import { DEMO_USERS, seedDemoUsers } from "../../packages/api/src/auth/demo-users.ts";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { testDatabaseUrl } from "../setup/env.ts";
import {
  createUser,
  createWebStore,
  dropWebStore,
  FIXTURE_PASSWORD,
  type WebStore,
} from "../support/web-fixtures.ts";

const ORIGIN = "http://localhost:3000";

describe("sign-in (better-auth on our Prisma tables)", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  // One trusted proxy: the last X-Forwarded-For entry is the client (as behind a reverse proxy).
  const auth = createAuth(db, {
    secret: "integration-auth-secret-".padEnd(48, "x"),
    baseUrl: ORIGIN,
    signInPerMinute: 3,
    signInPerAccount: 100,
    trustedProxies: 1,
    mode: "production",
  });
  let s: WebStore;
  let user: SessionUser;
  let superAdmin: SessionUser;

  beforeAll(async () => {
    s = await createWebStore(db);
    user = await createUser(db, { role: "staff", storeId: s.store.id });
    superAdmin = await createUser(db, { superAdmin: true, label: "super" });
  });

  afterAll(async () => {
    await db.user.deleteMany({ where: { id: { in: [user.id, superAdmin.id] } } });
    await dropWebStore(db, s);
    await db.$disconnect();
  });

  const signIn = (email: string, password: string, ip = "203.0.113.7") =>
    auth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": ip },
        body: JSON.stringify({ email, password }),
      }),
    );

  it("signs in with email and password and reads the session back, super admin flag included", async () => {
    const res = await signIn(superAdmin.email.toUpperCase(), FIXTURE_PASSWORD, "203.0.113.1");
    expect(res.status).toBe(200);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    expect(cookie).toMatch(/session_token=/);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user).toMatchObject({ id: superAdmin.id, email: superAdmin.email, isSuperAdmin: true });
    expect(await db.session.count({ where: { userId: superAdmin.id } })).toBe(1);
  });

  it("refuses wrong passwords, sign-ups, and brute force", async () => {
    expect((await signIn(user.email, "wrong-password-1", "203.0.113.2")).status).toBe(401);
    await expect(
      auth.api.signUpEmail({
        body: { email: `intruder-${s.tag}@test.example`, password: "intruder-pass-1", name: "Intruder" },
      }),
    ).rejects.toThrow();
    expect(await db.user.count({ where: { email: `intruder-${s.tag}@test.example` } })).toBe(0);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await signIn(user.email, "wrong-password-1", "203.0.113.3")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another address is not held up by that one.
    expect((await signIn(user.email, FIXTURE_PASSWORD, "203.0.113.4")).status).toBe(200);
  });

  it("without AUTH_URL, accepts sign-ins from the page's own origin only", async () => {
    const local = createAuth(db, {
      secret: "integration-auth-secret-".padEnd(48, "y"),
      baseUrl: null,
      signInPerMinute: 100,
      signInPerAccount: 100,
      trustedProxies: 1,
      mode: "production",
    });
    // next start hands route handlers a localhost URL whatever host the browser used: the Host header decides.
    // (With a cookie, better-auth checks the Origin; without one it relies on the browser's Sec-Fetch headers.)
    const post = (origin: string, host: string) =>
      local.handler(
        new Request("http://localhost:3000/api/auth/sign-in/email", {
          method: "POST",
          headers: {
            "content-type": "application/json",
            origin,
            host,
            cookie: "theme=light",
            "x-forwarded-for": "203.0.113.9",
          },
          body: JSON.stringify({ email: user.email, password: FIXTURE_PASSWORD }),
        }),
      );
    expect((await post("http://127.0.0.1:4123", "127.0.0.1:4123")).status).toBe(200);
    expect((await post("https://evil.example", "127.0.0.1:4123")).status).toBe(403);
    expect(
      requestOrigin(
        new Request("http://localhost/x", {
          headers: { host: "shop.example", "x-forwarded-proto": "https" },
        }),
      ),
    ).toBe("https://shop.example");
    expect(requestOrigin(new Request("http://localhost/x", { headers: { host: "bad host<>" } }))).toBeNull();
  });

  it("needs a real secret in production", () => {
    const env = { NODE_ENV: "production", AUTH_SIGN_IN_PER_MINUTE: 10 };
    expect(() => authConfig(env)).toThrow(AuthConfigError);
    expect(() => authConfig({ ...env, AUTH_SECRET: DEV_AUTH_SECRET })).toThrow(AuthConfigError);
    expect(
      authConfig({ ...env, AUTH_SECRET: "x".repeat(40), AUTH_URL: "https://shelf.example/" }).baseUrl,
    ).toBe("https://shelf.example");
    expect(authConfig({ NODE_ENV: "development", AUTH_SIGN_IN_PER_MINUTE: 10 }).secret).toBe(DEV_AUTH_SECRET);
  });

  it("brakes guessing one account from many addresses", async () => {
    const perAccount = createAuth(db, {
      secret: "integration-auth-secret-".padEnd(48, "z"),
      baseUrl: ORIGIN,
      signInPerMinute: 100,
      signInPerAccount: 2,
      trustedProxies: 1,
      mode: "production",
    });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push(
        (
          await perAccount.handler(
            new Request(`${ORIGIN}/api/auth/sign-in/email`, {
              method: "POST",
              headers: {
                "content-type": "application/json",
                origin: ORIGIN,
                "x-forwarded-for": `198.51.100.${i}`,
              },
              body: JSON.stringify({ email: superAdmin.email, password: "wrong-password-1" }),
            }),
          )
        ).status,
      );
    expect(statuses).toEqual([401, 401, 429]);
  });

  it("seeds one demo account per role, idempotently, and they can sign in in demo mode only", async () => {
    await seedDemoUsers(db, s.store.slug);
    await seedDemoUsers(db, s.store.slug);
    const members = await db.membership.findMany({
      where: { storeId: s.store.id, user: { email: { endsWith: "@shelf.example" } } },
      include: { user: true },
    });
    expect(members.map((m) => [m.user.email, m.role]).sort()).toEqual([
      ["admin@shelf.example", "admin"],
      ["merchandiser@shelf.example", "merchandiser"],
      ["staff@shelf.example", "staff"],
    ]);
    const demo = DEMO_USERS.find((u) => u.role === "merchandiser")!;
    expect((await signIn(demo.email, demo.password, "203.0.113.5")).status).toBe(403);
    const demoAuth = createAuth(db, {
      secret: "integration-auth-secret-".padEnd(48, "d"),
      baseUrl: ORIGIN,
      signInPerMinute: 100,
      signInPerAccount: 100,
      trustedProxies: 1,
      mode: "demo",
    });
    const res = await demoAuth.handler(
      new Request(`${ORIGIN}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: ORIGIN, "x-forwarded-for": "203.0.113.6" },
        body: JSON.stringify({ email: demo.email, password: demo.password }),
      }),
    );
    expect(res.status).toBe(200);
    await db.membership.deleteMany({ where: { id: { in: members.map((m) => m.id) } } });
    await db.user.deleteMany({ where: { email: { in: DEMO_USERS.map((u) => u.email) } } });
  });
});
