import type { RedisConnectionConfig } from "@shelf/core";
import { connectRedis, type RedisClient } from "@shelf/core/redis-client";
import { logger } from "../logger.ts";

/**
 * The web app's Redis connections for surveys: one command connection (publish, cooldown claims, rate
 * limits) and one subscriber shared by every open kiosk stream of the process ({@link LiveHub}). Both take a
 * URL or the env's full config (`redisConnectionConfig(webEnv())`: ACL user, TLS CA, Redis Cluster nodes).
 */

/**
 * A command connection that fails fast: a survey request must not hang on Redis (rate limiting then falls
 * back to memory, a prompt is skipped).
 */
export function createCommandRedis(target: string | RedisConnectionConfig): RedisClient {
  const redis = connectRedis(target, { maxRetriesPerRequest: 1, commandTimeout: 2000, connectTimeout: 5000 });
  redis.on("error", (err) => logger().warn({ err: err.message }, "survey: Redis error"));
  return redis;
}

type Listener = (message: string) => void;

/**
 * Fans one Redis subscriber out to many listeners (kiosk streams) per channel. Subscribes on the first
 * listener of a channel and unsubscribes after the last; ioredis re-subscribes by itself after a reconnect.
 * On a Redis Cluster the subscriber is one node's connection (ioredis picks it, and re-subscribes on another
 * should it fail): PUBLISH on any node reaches the subscribers of every node.
 */
export class LiveHub {
  private readonly sub: RedisClient;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly subscribed = new Map<string, Promise<unknown>>();

  constructor(target: string | RedisConnectionConfig) {
    this.sub = connectRedis(target, { maxRetriesPerRequest: null });
    this.sub.on("error", (err) => logger().warn({ err: err.message }, "live hub: Redis error"));
    this.sub.on("message", (channel: string, message: string) => {
      for (const l of this.listeners.get(channel) ?? []) {
        try {
          l(message);
        } catch (err) {
          logger().error({ err: err instanceof Error ? err.message : String(err) }, "live listener failed");
        }
      }
    });
  }

  /**
   * Adds a listener; resolves once Redis has confirmed the subscription (events published after that
   * reach the listener). Returns the function that removes it.
   */
  async subscribe(channel: string, listener: Listener): Promise<() => void> {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      this.subscribed.set(channel, this.sub.subscribe(channel));
    }
    set.add(listener);
    try {
      await this.subscribed.get(channel);
    } catch (err) {
      this.remove(channel, listener);
      throw err;
    }
    return () => this.remove(channel, listener);
  }

  /** Listeners per channel (for tests). */
  count(channel: string): number {
    return this.listeners.get(channel)?.size ?? 0;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscribed.clear();
    await this.sub.quit().catch(() => this.sub.disconnect());
  }

  private remove(channel: string, listener: Listener): void {
    const set = this.listeners.get(channel);
    if (!set) return;
    set.delete(listener);
    if (set.size > 0) return;
    this.listeners.delete(channel);
    this.subscribed.delete(channel);
    this.sub
      .unsubscribe(channel)
      .catch((err: Error) => logger().warn({ err: err.message }, "live hub: unsubscribe failed"));
  }
}
