import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "@shelf/db";
import { MIN_PASSWORD_LENGTH, type AuthConfig } from "./config.ts";

/**
 * The better-auth instance: email + password accounts in our own Prisma tables (User, Session, Account,
 * Verification). Nobody signs themselves up: admins create accounts (see users.ts), so sign-up is off.
 * Roles are not better-auth's business: they live in Membership (per store) and User.isSuperAdmin, and are
 * checked by the tRPC role procedures.
 */
export function createAuth(db: Db, config: AuthConfig) {
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
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: { "/sign-in/email": { window: 60, max: config.signInPerMinute } },
    },
    telemetry: { enabled: false },
    // Checked in tests as in production (better-auth would skip it under NODE_ENV=test).
    advanced: { disableOriginCheck: false },
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
