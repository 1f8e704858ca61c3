import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "@shelf/db";
import { requestClientAddress } from "../peer-address.ts";
import { MIN_PASSWORD_LENGTH, type AuthConfig } from "./config.ts";
import { isDemoEmail } from "./demo-users.ts";
import { MemorySignInThrottle, signInRules, type SignInThrottle } from "./sign-in-throttle.ts";
import { normaliseEmail } from "./users.ts";

/** Rate-limit subject for requests whose client address cannot be known: they share one budget. */
const UNKNOWN_CLIENT = "unknown";

/**
 * The better-auth instance: email + password accounts in our own Prisma tables (User, Session, Account,
 * Verification). Nobody signs themselves up: admins create accounts (see users.ts), so sign-up is off.
 * Roles are not better-auth's business: they live in Membership (per store) and User.isSuperAdmin, and are
 * checked by the tRPC role procedures.
 *
 * Sign-in is braked per client address (the socket peer, or what a trusted proxy saw: never a header the
 * client chose) and per account, by `throttle` (the web app passes the Redis one, shared by its processes;
 * default: this process's memory). In production mode the demo accounts, whose passwords are public, cannot
 * sign in at all.
 */
export function createAuth(db: Db, config: AuthConfig, deps: { throttle?: SignInThrottle } = {}) {
  const throttle =
    deps.throttle ??
    new MemorySignInThrottle(signInRules(config.signInPerMinute, config.signInPerAccount), config.secret);
  return betterAuth({
    appName: "Shelf Sentiment",
    secret: config.secret,
    ...(config.baseUrl
      ? { baseURL: config.baseUrl }
      : { trustedOrigins: (request?: Request) => [requestOrigin(request)] }),
    database: prismaAdapter(db, { provider: "postgresql" }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    },
    user: {
      additionalFields: {
        // Read-only through auth: set by a super admin (admin router) or the seed.
        isSuperAdmin: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    session: {
      // s: a working day's shift, renewed while in use.
      expiresIn: 60 * 60 * 12,
      updateAge: 60 * 60,
    },
    // better-auth's own limiter keys on X-Forwarded-For, which a client writes itself: ours (hooks) instead.
    rateLimit: { enabled: false },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== "/sign-in/email") return;
        const body = ctx.body as { email?: unknown } | undefined;
        const email = typeof body?.email === "string" ? normaliseEmail(body.email).slice(0, 320) : "";
        if (config.mode === "production" && isDemoEmail(email))
          throw new APIError("FORBIDDEN", {
            message: "demo accounts cannot sign in on a production install",
          });
        const address =
          (ctx.request && requestClientAddress(ctx.request.headers, config.trustedProxies)) ?? UNKNOWN_CLIENT;
        for (const [scope, subject] of [
          ["address", address],
          ["account", email],
        ] as const) {
          const verdict = await throttle.hit(scope, subject);
          if (!verdict.allowed)
            throw new APIError(
              "TOO_MANY_REQUESTS",
              {
                message: `too many sign-in attempts ${scope === "account" ? "for this account" : "from this address"}: try again in ${verdict.retryAfterS} s`,
              },
              { "Retry-After": String(verdict.retryAfterS) },
            );
        }
      }),
    },
    telemetry: { enabled: false },
    advanced: {
      // Checked in tests as in production (better-auth would skip it under NODE_ENV=test).
      disableOriginCheck: false,
      // Sessions would record X-Forwarded-For (the client's to choose); we need no address in them.
      ipAddress: { disableIpTracking: true },
    },
    // Lets server actions and route handlers that call auth.api set cookies through next/headers.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Without AUTH_URL, the origin the browser used for this request (Host, or a proxy's X-Forwarded-Host and
 * -Proto): sign-in then accepts exactly same-origin posts, as a configured AUTH_URL would. A cross-site form
 * cannot forge those headers, so this keeps the CSRF check meaningful.
 */
export function requestOrigin(request: Request | undefined): string | null {
  if (!request) return null;
  const first = (v: string | null) => v?.split(",")[0]?.trim() || null;
  const host = first(request.headers.get("x-forwarded-host")) ?? request.headers.get("host");
  const proto =
    first(request.headers.get("x-forwarded-proto")) ?? new URL(request.url).protocol.replace(/:$/, "");
  if (!host || !HOST.test(host) || (proto !== "http" && proto !== "https")) return null;
  return `${proto}://${host}`;
}
