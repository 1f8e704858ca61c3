/**
 * Sign-in configuration derived from the validated web env (passed in: this module reads no process.env, so
 * tests can build an auth instance without Next).
 */

/**
 * DEVELOPMENT ONLY. Used when AUTH_SECRET is unset outside production, so `next dev` and tests work out of
 * the box. Public (it is in the repository): refused when NODE_ENV=production.
 */
export const DEV_AUTH_SECRET = "dev-only-auth-secret--never-use-in-production--0123456789";

export class AuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AuthConfigError";
  }
}

/** The secret that signs session cookies. */
export function resolveAuthSecret(env: { NODE_ENV: string; AUTH_SECRET?: string | undefined }): string {
  const production = env.NODE_ENV === "production";
  if (env.AUTH_SECRET === DEV_AUTH_SECRET && production)
    throw new AuthConfigError("AUTH_SECRET is the public development secret; set a real one in production");
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (production)
    throw new AuthConfigError(
      "AUTH_SECRET must be set in production (≥ 32 characters, e.g. `openssl rand -base64 48`)",
    );
  return DEV_AUTH_SECRET;
}

export interface AuthConfig {
  secret: string;
  /** Origin for sign-in; null → the request's origin. */
  baseUrl: string | null;
  /** Sign-in attempts per client address per minute. */
  signInPerMinute: number;
  /** Sign-in attempts per account per 15 minutes (all addresses together). Default 20. */
  signInPerAccount: number;
  /** Reverse proxies trusted to append the client address to X-Forwarded-For (0: none, the peer is the client). */
  trustedProxies: number;
  /** `production`: the demo accounts cannot sign in. */
  mode: "demo" | "production";
}

export function authConfig(env: {
  NODE_ENV: string;
  AUTH_SECRET?: string | undefined;
  AUTH_URL?: string | undefined;
  PUBLIC_BASE_URL?: string | undefined;
  AUTH_SIGN_IN_PER_MINUTE: number;
  AUTH_SIGN_IN_PER_ACCOUNT?: number | undefined;
  TRUSTED_PROXY?: number | undefined;
  SHELF_MODE?: "demo" | "production" | undefined;
}): AuthConfig {
  const base = env.AUTH_URL ?? env.PUBLIC_BASE_URL ?? null;
  return {
    secret: resolveAuthSecret(env),
    baseUrl: base ? base.replace(/\/+$/, "") : null,
    signInPerMinute: env.AUTH_SIGN_IN_PER_MINUTE,
    signInPerAccount: env.AUTH_SIGN_IN_PER_ACCOUNT ?? 20,
    trustedProxies: env.TRUSTED_PROXY ?? 0,
    mode: env.SHELF_MODE ?? "production",
  };
}

/** Shortest password accepted for a new account or a reset. */
export const MIN_PASSWORD_LENGTH = 10;
