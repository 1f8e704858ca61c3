/**
 * Survey configuration derived from the validated web env (passed in: this module reads no process.env,
 * so tests can build a config without Next).
 */

/**
 * DEVELOPMENT ONLY. Used when SURVEY_SECRET is unset outside production, so `next dev` and tests work
 * out of the box. Public (it is in the repository): anything signed with it is forgeable. Refused when
 * NODE_ENV=production.
 */
export const DEV_SURVEY_SECRET = "dev-only-survey-secret--never-use-in-production";

export class SurveyConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SurveyConfigError";
  }
}

/** The secret that signs invite tokens, shelf codes and rate-limit subjects. */
export function resolveSurveySecret(env: { NODE_ENV: string; SURVEY_SECRET?: string | undefined }): string {
  const production = env.NODE_ENV === "production";
  if (env.SURVEY_SECRET === DEV_SURVEY_SECRET && production)
    throw new SurveyConfigError(
      "SURVEY_SECRET is the public development secret; set a real one in production",
    );
  if (env.SURVEY_SECRET) return env.SURVEY_SECRET;
  if (production)
    throw new SurveyConfigError(
      "SURVEY_SECRET must be set in production (≥ 32 characters, e.g. `openssl rand -base64 48`)",
    );
  return DEV_SURVEY_SECRET;
}

/** How long an invite stays redeemable, ms. A QR scan starts the survey at once; a kiosk prompt may wait. */
export const INVITE_TTL_MS = { qr: 30 * 60_000, kiosk: 10 * 60_000 } as const;

/** Largest survey form body accepted, bytes (10 text answers of 2 000 characters, percent-encoded, fit). */
export const MAX_FORM_BYTES = 256 * 1024;

export interface SurveyConfig {
  secret: string;
  /** Redis key / channel prefix (QUEUE_PREFIX). */
  prefix: string;
  /** Origin printed into QR codes; null → the request's origin. */
  publicBaseUrl: string | null;
}

export function surveyConfig(env: {
  NODE_ENV: string;
  SURVEY_SECRET?: string | undefined;
  QUEUE_PREFIX: string;
  PUBLIC_BASE_URL?: string | undefined;
}): SurveyConfig {
  return {
    secret: resolveSurveySecret(env),
    prefix: env.QUEUE_PREFIX,
    publicBaseUrl: env.PUBLIC_BASE_URL ? env.PUBLIC_BASE_URL.replace(/\/+$/, "") : null,
  };
}
