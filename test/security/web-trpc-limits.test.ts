import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomPrefix, testDatabaseUrl } from "../setup/env.ts";
import { startWebServer } from "../support/web-server.ts";
import { webTestEnv } from "../support/web-session.ts";

describe("flooding the tRPC endpoint of the running web app", () => {
  let web: Awaited<ReturnType<typeof startWebServer>>;

  beforeAll(async () => {
    web = await startWebServer({
      ...webTestEnv(),
      DATABASE_URL: testDatabaseUrl(),
      QUEUE_PREFIX: randomPrefix("trpc-limits"),
    });
  });

  afterAll(async () => {
    await web?.stop();
  });

  it("posts a 20 MiB body to a procedure", async () => {
    const big = JSON.stringify({ json: { storeSlug: "x".repeat(20 * 1024 * 1024) } });
    const res = await fetch(`${web.url}/api/trpc/session.storeAccess`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toMatch(/request body over \d+ MiB/);
  });

  it("posts a body of unknown length that only turns out too big while streaming", async () => {
    const chunk = new TextEncoder().encode("x".repeat(1024 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ >= 20) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await fetch(`${web.url}/api/trpc/session.storeAccess`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it("batches five hundred procedure calls into one request", async () => {
    // As many as fit in a URL under Node's 16 KiB header limit.
    const n = 500;
    const paths = Array.from({ length: n }, () => "zones.createItem").join(",");
    const body = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: {} }])));
    const res = await fetch(`${web.url}/api/trpc/${paths}?batch=1`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: web.url },
      body,
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/batch of 500 procedures: at most 20/);
  });
});
