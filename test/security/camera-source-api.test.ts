import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@shelf/db";
import { testDatabaseUrl } from "../setup/env.ts";
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
 * Attacks through the web API on where a camera is read from: the agent hands a camera's source to ffmpeg
 * and sends the frame back as the calibration snapshot, so a source is a way to make the agent fetch URLs
 * (SSRF) or read its files. Against the built app (`next start`) and real PostgreSQL.
 */
describe("camera source attacks through the web API", () => {
  let db: Db;
  let s: WebStore;
  let web: Awaited<ReturnType<typeof startWebServer>>;
  let staffCookie: string;
  let adminCookie: string;
  let loopback: Server;
  let loopbackPort: number;
  const userIds: string[] = [];

  const call = (cookie: string, kind: "query" | "mutation", path: string, input: Record<string, unknown>) =>
    trpcHttp(web.url, cookie, kind, path, { storeSlug: s.store.slug, ...input });
  const create = (cookie: string, name: string, sourceUrl: string) =>
    call(cookie, "mutation", "cameras.create", {
      floorPlanId: s.planId,
      name,
      sourceUrl,
      widthPx: 640,
      heightPx: 480,
    });
  const sourceOf = async (id: string) =>
    (await db.camera.findUniqueOrThrow({ where: { id }, select: { sourceUrl: true } })).sourceUrl;

  beforeAll(async () => {
    db = createDb({ url: testDatabaseUrl() });
    s = await createWebStore(db);
    const staff = await createUser(db, { role: "staff", storeId: s.store.id });
    const admin = await createUser(db, { role: "admin", storeId: s.store.id });
    userIds.push(staff.id, admin.id);
    // Something on the web server's own machine an attacker would like the agent to reach.
    loopback = createServer((_req, res) => res.end("internal"));
    await new Promise<void>((r) => loopback.listen(0, "127.0.0.1", r));
    loopbackPort = (loopback.address() as AddressInfo).port;
    web = await startWebServer(webTestEnv({ DATABASE_URL: testDatabaseUrl() }));
    staffCookie = await signInHttp(web.url, staff.email, FIXTURE_PASSWORD);
    adminCookie = await signInHttp(web.url, admin.email, FIXTURE_PASSWORD);
    expect(staffCookie && adminCookie).toBeTruthy();
  });

  afterAll(async () => {
    await web?.stop();
    await new Promise((r) => loopback?.close(r));
    await db.auditLog.deleteMany({ where: { storeId: s.store.id } });
    await dropWebStore(db, s);
    await db.user.deleteMany({ where: { id: { in: userIds } } });
    await db.$disconnect();
  });

  it("staff cannot set a camera's source: not when registering, not by update, not by setSource", async () => {
    const created = await create(staffCookie, "Staff cam", "demo:face-api");
    expect(created.status).toBe(403);
    const update = await call(staffCookie, "mutation", "cameras.update", {
      cameraId: s.cameraId,
      sourceUrl: "http://10.0.0.5/video.mjpg",
    });
    expect(update.status).toBe(400);
    const setSource = await call(staffCookie, "mutation", "cameras.setSource", {
      cameraId: s.cameraId,
      sourceUrl: "http://10.0.0.5/video.mjpg",
    });
    expect(setSource.status).toBe(403);
    const policy = await call(staffCookie, "mutation", "cameras.setSourcePolicy", {
      allowlist: ["0.0.0.0/0"],
    });
    expect(policy.status).toBe(403);
    expect(await sourceOf(s.cameraId)).toBe("demo:face-api");
    expect(await db.camera.count({ where: { storeId: s.store.id } })).toBe(1);
  });

  it.each([
    ["file:///etc/passwd", /sourceUrl: .*files and devices are configured on the agent/],
    ["/etc/passwd", /sourceUrl: /],
    ["file:/etc/shadow", /sourceUrl: /],
    ["v4l2:/dev/video0", /sourceUrl: /],
    ["folder:/var/lib/motion", /sourceUrl: /],
    ["concat:/etc/passwd|/etc/hosts", /sourceUrl: /],
    ["hls+http://10.0.0.5/x.m3u8", /sourceUrl: /],
    ["local:../../etc/passwd", /sourceUrl: local:<name>/],
  ])("an admin cannot make the agent read a local file or device: %s", async (sourceUrl, message) => {
    const res = await create(adminCookie, "Exfil", sourceUrl);
    expect(res.status).toBe(400);
    expect(res.message).toMatch(message);
    const set = await call(adminCookie, "mutation", "cameras.setSource", { cameraId: s.cameraId, sourceUrl });
    expect(set.status).toBe(400);
    expect(await sourceOf(s.cameraId)).toBe("demo:face-api");
  });

  it("an admin cannot point the agent at cloud metadata or this machine, even with a wide allowlist", async () => {
    // Empty allowlist (the default): no network source at all.
    for (const url of [`http://127.0.0.1:${loopbackPort}/`, "http://10.0.0.5/video.mjpg"]) {
      const res = await create(adminCookie, "Nope", url);
      expect(res.status, url).toBe(400);
      expect(res.message).toMatch(/sourceUrl: .*allowlist/);
    }
    // A wide allowlist still never covers loopback, link-local or metadata addresses.
    const policy = await call(adminCookie, "mutation", "cameras.setSourcePolicy", {
      allowlist: ["0.0.0.0/0", "::/0", "localhost"],
    });
    expect(policy.status).toBe(200);
    for (const url of [
      "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      `http://127.0.0.1:${loopbackPort}/`,
      `http://localhost:${loopbackPort}/`, // an allowlisted name that resolves to loopback
      `rtsp://[::1]:${loopbackPort}/`,
      `http://[::ffff:169.254.169.254]/`,
      "http://2130706433/", // 127.0.0.1 in decimal
      "rtsp://0x7f.1/live", // 127.0.0.1 in hex, which URL parsing leaves to the resolver
    ]) {
      const res = await create(adminCookie, "Metadata", url);
      expect(res.status, url).toBe(400);
      expect(res.message, url).toMatch(/^sourceUrl: /);
    }
    // Only a CIDR that names the address exactly lets a loopback camera in (as the tests' own cameras do).
    await call(adminCookie, "mutation", "cameras.setSourcePolicy", { allowlist: ["127.0.0.1/32"] });
    const ok = await create(adminCookie, "Loopback cam", `http://127.0.0.1:${loopbackPort}/feed.mjpg`);
    expect(ok.status).toBe(200);
    expect(
      await db.camera.count({ where: { storeId: s.store.id, name: { in: ["Nope", "Metadata"] } } }),
    ).toBe(0);
  });

  it("camera passwords are stored sealed and never come back from the API", async () => {
    await call(adminCookie, "mutation", "cameras.setSourcePolicy", { allowlist: ["10.0.0.0/24"] });
    const password = "hunter2-Camera!";
    const created = await create(
      adminCookie,
      "Door",
      `rtsp://viewer:${encodeURIComponent(password)}@10.0.0.5:554/stream1`,
    );
    expect(created.status).toBe(200);
    const { id } = created.data as { id: string };
    const row = await db.camera.findUniqueOrThrow({ where: { id } });
    const stored = JSON.stringify(row);
    expect(stored).not.toContain("hunter2");
    expect(stored).not.toContain("viewer");
    expect(row.sourceUrl).toBe("rtsp://10.0.0.5:554/stream1");
    expect(row.sourceCredentials).toMatch(/^v1:/);
    for (const cookie of [adminCookie, staffCookie]) {
      const list = await call(cookie, "query", "cameras.list", {});
      const text = JSON.stringify(list.data);
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain(row.sourceCredentials!);
      const camera = (list.data as { cameras: { id: string; credentials: string }[] }).cameras.find(
        (c) => c.id === id,
      );
      expect(camera?.credentials).toBe("set");
    }
    const audit = await db.auditLog.findMany({ where: { storeId: s.store.id, entityId: id } });
    expect(JSON.stringify(audit)).not.toContain("hunter2");
  });
});
