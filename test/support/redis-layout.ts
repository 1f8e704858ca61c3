import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { isStoreQueue, QUEUES, redisLayout, type QueueName } from "@shelf/core";

/** A queue as the services name it: a store's (crops, tracks) under its store prefix, the rest central. */
export function testQueue(redisUrl: string, prefix: string, name: QueueName, storeId?: string): Queue {
  const layout = redisLayout(prefix);
  if (isStoreQueue(name) && storeId === undefined)
    throw new Error(`${name} is a store queue: name the store`);
  return new Queue(name, {
    connection: { url: redisUrl },
    prefix: isStoreQueue(name) ? layout.store(storeId!) : layout.central,
  });
}

/**
 * Obliterates every queue of the installation `prefix`: the central ones, and those of `storeIds` (default:
 * every store that has a key under the prefix).
 */
export async function obliterateQueues(redisUrl: string, prefix: string, storeIds?: string[]): Promise<void> {
  if (!storeIds) {
    const redis = new Redis(redisUrl);
    const keys = await redis.keys(`${prefix}:{s:*`);
    await redis.quit();
    storeIds = [
      ...new Set(keys.map((k) => /^[^{]*\{s:([^}]+)\}/.exec(k)?.[1]).filter((id) => id !== undefined)),
    ];
  }
  for (const name of Object.values(QUEUES))
    for (const storeId of isStoreQueue(name) ? storeIds : [undefined]) {
      const q = testQueue(redisUrl, prefix, name, storeId);
      await q.obliterate({ force: true });
      await q.close();
    }
}

/** Every key of the installation `prefix`: `<prefix>:*` (stores' and plain keys) and `{<prefix>}:*` (central). */
export async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  return [...(await redis.keys(`${prefix}:*`)), ...(await redis.keys(`{${prefix}}:*`))];
}
