import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { createWebStore, dropWebStore, type WebStore } from "../support/web-fixtures.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

describe("framing and sniffing the running web app", () => {
  const db: Db = createDb({ url: testDatabaseUrl() });
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let s: WebStore;

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
});
