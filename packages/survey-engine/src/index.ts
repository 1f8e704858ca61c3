/**
 * @shelf/survey-engine — survey rules without I/O: kiosk prompt triggers, cooldowns and waiting prompts (run
 * by the worker's trigger engine), invite tokens and shelf codes, consent text, question templates and answer validation, rate-limit windows,
 * topic clustering and per-item summaries. Heavy parts have their own subpath exports:
 * `@shelf/survey-engine/text` (wink-nlp sentiment + keywords) and `@shelf/survey-engine/qr` (QR images).
 */
export {
  InviteTokenError,
  signInviteToken,
  tokenHash,
  verifyInviteToken,
  type InviteClaims,
} from "./invite-token.ts";
export {
  SHELF_CODE_MAX_AGE_DAYS,
  SHORT_SHELF_CODE_LENGTH,
  ShelfCodeError,
  isShortShelfCode,
  newShortShelfCode,
  shelfCodeExpiry,
  signShelfCode,
  verifyShelfCode,
  type ShelfClaims,
  type ShelfTarget,
} from "./shelf-code.ts";
/**
 * The live-event contract lives in `@shelf/core` (the worker publishes, kiosk streams and the live view
 * subscribe); re-exported here for the survey pages that already import it from this package.
 */
export {
  encodeLiveEvent,
  interactionEvent,
  liveChannel,
  liveChannelPattern,
  parseLiveEvent,
  ZFlagEvent,
  ZInteractionEvent,
  ZLiveEvent,
  ZSurveyPromptEvent,
  ZZoneDistributionEvent,
  type FlagEvent,
  type InteractionEvent,
  type LiveEvent,
  type LiveEventKind,
  type SurveyPromptEvent,
  type ZoneDistributionEvent,
} from "@shelf/core";
export * from "./triggers.ts";
export * from "./rate-limit.ts";
export * from "./consent.ts";
export * from "./questions.ts";
export * from "./topics.ts";
export * from "./summary.ts";
