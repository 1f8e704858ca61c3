import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import type { SessionUser } from "../../packages/api/src/auth/session-user.ts";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { createUser, FIXTURE_PASSWORD } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";
import { attemptSignIn } from "../support/web-sign-in.ts";

type Web = Awaited<ReturnType<typeof startWebServer>>;

describe("sign-in attacks on the running web app", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  const users: SessionUser[] = [];
  const servers: Web[] = [];

  const start = async (env: Record<string, string>) => {
    const web = await startWebServer({ ...webTestEnv(), DATABASE_URL: testDatabaseUrl(), ...env });
    servers.push(web);
    return web;
  };
  const user = async () => {
    const u = await createUser(db, { label: "signin" });
    users.push(u);
    return u;
  };

  afterAll(async () => {
    await Promise.all(servers.map((w) => w.stop()));
    await db.user.deleteMany({ where: { id: { in: users.map((u) => u.id) } } });
    await db.$disconnect();
  });

  it("guesses passwords past the per-address limit by sending a new X-Forwarded-For each time", async () => {
    const web = await start({
      AUTH_SIGN_IN_PER_MINUTE: "3",
      AUTH_SIGN_IN_PER_ACCOUNT: "1000",
      QUEUE_PREFIX: randomPrefix("signin-xff"),
    });
    const victim = await user();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (
          await attemptSignIn(web.url, victim.email, `guess-${i}-password`, {
            "x-forwarded-for": `192.0.2.${i}`,
          })
        ).status,
      );
    // Every attempt comes from the same socket: the invented header changes nothing.
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.slice(3)).toEqual([429, 429, 429]);
  });

  it("guesses one account's password from many addresses through two web processes", async () => {
    // Behind one trusted proxy every attempt has its own client address; the account brake must still hold,
    // across both processes (Redis), not per process.
    const prefix = randomPrefix("signin-account");
    const env = {
      AUTH_SIGN_IN_PER_MINUTE: "1000",
      AUTH_SIGN_IN_PER_ACCOUNT: "4",
      TRUSTED_PROXY: "1",
      QUEUE_PREFIX: prefix,
    };
    const [a, b] = await Promise.all([start(env), start(env)]);
    const victim = await user();
    const results = [];
    for (let i = 0; i < 6; i++)
      results.push(
        await attemptSignIn((i % 2 ? b : a).url, victim.email, `guess-${i}-password`, {
          "x-forwarded-for": `198.51.100.${i + 10}`,
        }),
      );
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(Number(results[4]!.retryAfter)).toBeGreaterThan(0);
    // The account is braked, not the addresses: another account signs in from the same address.
    const other = await user();
    expect(
      (await attemptSignIn(a.url, other.email, FIXTURE_PASSWORD, { "x-forwarded-for": "198.51.100.10" }))
        .status,
    ).toBe(200);
  });

  it("leaves the sign-in page for another site through a tab in ?next", async () => {
    // The server whose per-address limit the first test did not use up.
    const web = servers[1]!;
    const someone = await user();
    const { cookie } = await attemptSignIn(web.url, someone.email, FIXTURE_PASSWORD);
    expect(cookie).toBeTruthy();
    for (const next of ["/\t/evil.example", "/\n/evil.example", "/\\/evil.example", "//evil.example"]) {
      const res = await fetch(`${web.url}/sign-in?next=${encodeURIComponent(next)}`, {
        redirect: "manual",
        headers: { cookie: cookie! },
      });
      const html = res.status === 200 ? await res.text() : "";
      const target =
        res.headers.get("location") ??
        /http-equiv="refresh" content="\d+;url=([^"]+)"/.exec(html)?.[1] ??
        null;
      expect(target, `next=${JSON.stringify(next)} (status ${res.status})`).not.toBeNull();
      // Where a browser goes: the target resolved against the page's own address.
      expect(new URL(target!.replace(/&amp;/g, "&"), `${web.url}/sign-in`).origin).toBe(web.url);
    }
  });
});
