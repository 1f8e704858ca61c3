import { z } from "zod";
import { parseEnv, ZServiceEnv } from "@shelf/core";

/**
 * The web server's variables: every service's own (DATABASE_URL, REDIS_URL, QUEUE_PREFIX — the Redis key and
 * pub/sub channel prefix shared with the worker — and LOG_LEVEL, from core's ZServiceEnv), then the web's.
 */
export const ZWebEnv = ZServiceEnv.extend({
  /** Store shown when none is chosen. */
  DEFAULT_STORE_SLUG: z.string().min(1).default("demo"),
  /** `next start` sets production; the survey refuses its development secret there. */
  NODE_ENV: z.string().default("development"),
  /**
   * Signs survey invite tokens and printed shelf codes (HMAC-SHA256), ≥ 32 characters, e.g.
   * `openssl rand -base64 48`. Required in production; outside production a marked development secret is
   * used when unset (see server/survey/config.ts). Rotating it retires every printed QR code.
   */
  SURVEY_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Public origin printed into QR codes (e.g. https://shop.example); default: the request's origin. */
  PUBLIC_BASE_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
    .optional(),
  /**
   * Signs sign-in session cookies (better-auth), ≥ 32 characters, e.g. `openssl rand -base64 48`. Required in
   * production; outside production a marked development secret is used when unset (see server/auth/config.ts).
   * Rotating it signs everyone out.
   */
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  /** Origin the app is reached at for sign-in (e.g. https://shelf.example); default PUBLIC_BASE_URL, else the request's. */
  AUTH_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL")
    .optional(),
  /**
   * How many reverse proxies in front of the app append the client address to `X-Forwarded-For` (0–10).
   * 0 (default): the app is reached directly, and since `next start` keeps a client-sent `X-Forwarded-For`,
   * no client address can be trusted: per-client limits are skipped (per-code / per-token limits still
   * hold). N: the N-th entry from the right is the client (see server/client-ip.ts).
   */
  TRUSTED_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /** Sign-in attempts allowed per client address per minute (brute-force brake). Default 10. */
  AUTH_SIGN_IN_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(10),
  /**
   * Sign-in attempts allowed per account (email) per 15 minutes, from all addresses together, shared by
   * every web process through Redis (brake on a password guesser spread over many addresses). Default 20.
   */
  AUTH_SIGN_IN_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(20),
  /**
   * `demo` (set by `npm start` without `--production`): the demo accounts with public passwords may sign in.
   * `production` (the default): they may not, whatever the database holds.
   */
  SHELF_MODE: z.enum(["demo", "production"]).default("production"),
  /**
   * Mapbox public token (`pk.…`): when set, the store map is drawn by mapbox-gl instead of maplibre-gl (same
   * style, no Mapbox tiles). Read by the server per request and handed to the map page, so changing it needs
   * no rebuild; it reaches every browser that opens the map, hence public tokens only. Unset: maplibre-gl,
   * no token, nothing loaded from Mapbox.
   */
  /**
   * Seals camera passwords at rest (AES-256-GCM), base64 of 32 bytes (`openssl rand -base64 32`); the camera
   * agent needs the same value. Unset: the key file CAMERA_SECRET_KEY_FILE, default `.data/camera-secret.key`,
   * created 0600 on first use.
   */
  CAMERA_SECRET_KEY: z.string().min(40, "must be base64 of 32 bytes").optional(),
  CAMERA_SECRET_KEY_FILE: z.string().min(1).optional(),
  NEXT_PUBLIC_MAPBOX_TOKEN: z
    .string()
    .trim()
    .refine((t) => t.startsWith("pk."), "must be a Mapbox public token (pk.…): it is sent to browsers")
    .optional(),
});
export type WebEnv = z.infer<typeof ZWebEnv>;

let cached: WebEnv | undefined;
/** The only place the web app reads process.env (server side). */
export function webEnv(): WebEnv {
  cached ??= parseEnv(ZWebEnv, process.env);
  return cached;
}
