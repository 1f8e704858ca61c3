import "server-only";
import { db } from "./db.ts";
import { AuthConfigError } from "./auth/config.ts";
import { userFromHeaders } from "./auth/instance.ts";
import { requestRescore } from "./flags/rescore-client.ts";
import type { Context } from "./trpc.ts";
import { logger } from "./logger.ts";

/**
 * The tRPC context of a request: the database, the signed-in user (from the session cookie) and the rescore
 * requester (the worker redoes scores and flags after a rule change, and publishes what changed). A misconfigured sign-in (no AUTH_SECRET in production) leaves everyone signed out, logged, so
 * the shopper survey keeps working while the dashboard says what is wrong.
 */
export async function createContext(headers: Headers): Promise<Context> {
  let user: Context["user"] = null;
  try {
    user = await userFromHeaders(headers);
  } catch (err) {
    if (!(err instanceof AuthConfigError)) throw err;
    logger().error({ err: err.message }, "sign-in is misconfigured: everyone is signed out");
  }
  return { db: db(), user, requestRescore };
}
