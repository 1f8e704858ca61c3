import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { randomPrefix, testDatabaseUrl, testRedisUrl } from "../setup/env.ts";
import { findPixelsInDatabase, findPixelsInRedis } from "../support/pixels.ts";

/** The privacy scans other tests rely on must actually find pixels when they are there. */
describe("pixel scans", () => {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  const redis = new Redis(testRedisUrl());
  const prefix = randomPrefix("scan");
  const crop = randomBytes(48 * 48).toString("base64");

  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.query(`DELETE FROM "AuditLog" WHERE action = 'pixel-scan-test'`);
    await client.end();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("finds a crop hidden in a JSON column", async () => {
    await client.query(
      `INSERT INTO "AuditLog" (id, action, entity, after) VALUES ($1, 'pixel-scan-test', 'x', $2)`,
      [`scan-${Date.now()}`, JSON.stringify({ crop })],
    );
    expect((await findPixelsInDatabase(client)).join()).toMatch(/AuditLog/);
    await client.query(`DELETE FROM "AuditLog" WHERE action = 'pixel-scan-test'`);
    expect(await findPixelsInDatabase(client)).toEqual([]);
  });

  it("finds a crop in a Redis hash and ignores clean keys", async () => {
    await redis.hset(`${prefix}:clean`, "probs", "[0.1,0.9]");
    expect(await findPixelsInRedis(redis, prefix)).toEqual([]);
    await redis.hset(`${prefix}:job`, "data", JSON.stringify({ crop: { data: crop } }));
    expect(await findPixelsInRedis(redis, prefix)).toEqual([`hash ${prefix}:job`]);
  });
});
