import "server-only";
import { redisConnectionConfig } from "@shelf/core";
import { connectRedis } from "@shelf/core/redis-client";
import { webEnv } from "../env.ts";
import { db } from "../db.ts";
import { createAuth, type Auth } from "./auth.ts";
import { authConfig } from "./config.ts";
import { RedisSignInThrottle, signInRules } from "./sign-in-throttle.ts";
import type { SessionUser } from "./session-user.ts";
import { logger } from "../logger.ts";

const g = globalThis as unknown as { shelfAuth?: Auth };

/**
 * The process's auth instance, created on first use (and kept across dev hot reloads, like `db()`). Throws
 * AuthConfigError when misconfigured (no AUTH_SECRET in production).
 */
export function auth(): Auth {
  if (!g.shelfAuth) {
    const env = webEnv();
    const config = authConfig(env);
    // Fails fast: a sign-in must not hang on Redis (the throttle then counts in memory, and says so).
    const redis = connectRedis(redisConnectionConfig(env), {
      maxRetriesPerRequest: 1,
      commandTimeout: 2000,
      connectTimeout: 5000,
    });
    redis.on("error", (err) => logger().warn({ err: err.message }, "sign-in throttle: Redis error"));
    const throttle = new RedisSignInThrottle(redis, {
      prefix: env.QUEUE_PREFIX,
      secret: config.secret,
      rules: signInRules(config.signInPerMinute, config.signInPerAccount),
    });
    g.shelfAuth = createAuth(db(), config, { throttle });
  }
  return g.shelfAuth;
}

/** The signed-in user of a request (its session cookie), or null. */
export async function userFromHeaders(requestHeaders: Headers): Promise<SessionUser | null> {
  const session = await auth().api.getSession({ headers: requestHeaders });
  if (!session) return null;
  const { user } = session;
  return { id: user.id, email: user.email, name: user.name, isSuperAdmin: user.isSuperAdmin === true };
}
