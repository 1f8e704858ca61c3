import "server-only";
import { redisConnectionConfig } from "@shelf/core";
import type { RedisClient } from "@shelf/core/redis-client";
import { createTextAnalyzer, type TextAnalyzer } from "@shelf/survey-engine/text";
import { webEnv } from "../env.ts";
import { surveyConfig, type SurveyConfig } from "./config.ts";
import { SurveyRateLimiter } from "./rate-limiter.ts";
import { createCommandRedis, LiveHub } from "./redis.ts";

/**
 * Per-process survey services, each created on first use (and kept across dev hot reloads, like `db()`):
 * a survey page opens no Redis connection, the submit route no subscriber, and only the submit route
 * loads the NLP model.
 */
const g = globalThis as unknown as {
  shelfSurveyConfig?: SurveyConfig;
  shelfSurveyRedis?: { redis: RedisClient; limiter: SurveyRateLimiter };
  shelfSurveyHub?: LiveHub;
  shelfTextAnalyzer?: TextAnalyzer;
};

/** Throws SurveyConfigError when misconfigured (e.g. no SURVEY_SECRET in production). */
export function surveyConfigFromEnv(): SurveyConfig {
  g.shelfSurveyConfig ??= surveyConfig(webEnv());
  return g.shelfSurveyConfig;
}

/** The command connection and the rate limiter on it. */
export function surveyRedis(): { redis: RedisClient; limiter: SurveyRateLimiter } {
  if (!g.shelfSurveyRedis) {
    const config = surveyConfigFromEnv();
    const redis = createCommandRedis(redisConnectionConfig(webEnv()));
    g.shelfSurveyRedis = {
      redis,
      limiter: new SurveyRateLimiter(redis, { prefix: config.prefix, secret: config.secret }),
    };
  }
  return g.shelfSurveyRedis;
}

/** The process's shared live-event subscriber. */
export function liveHub(): LiveHub {
  g.shelfSurveyHub ??= new LiveHub(redisConnectionConfig(webEnv()));
  return g.shelfSurveyHub;
}

/** The wink-nlp analyzer. */
export function textAnalyzer(): TextAnalyzer {
  g.shelfTextAnalyzer ??= createTextAnalyzer();
  return g.shelfTextAnalyzer;
}
