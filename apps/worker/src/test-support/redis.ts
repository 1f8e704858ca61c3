import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

/** The machine's Redis (ARCHITECTURE.md: 127.0.0.1:6379), or REDIS_URL. */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/**
 * A connection to the real Redis with a random key prefix, so test runs never see each other's keys;
 * `cleanup()` deletes every key under the prefix (store and central, see `redisLayout`) and closes the connection.
 */
export function testRedis(name: string): { redis: Redis; prefix: string; cleanup(): Promise<void> } {
  const prefix = `test-${name}-${randomBytes(5).toString("hex")}`;
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  return {
    redis,
    prefix,
    async cleanup() {
      // Store keys live under `<prefix>:{s:…}`, central ones under `{<prefix>}` (redisLayout).
      for (const pattern of [`${prefix}:*`, `{${prefix}}:*`]) {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== "0");
      }
      await redis.quit();
    },
  };
}
