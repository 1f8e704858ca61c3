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
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
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
    // Lets server actions and route handlers that call auth.api set cookies through next/headers.
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;
