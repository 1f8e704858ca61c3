import { Prisma, type Db } from "@shelf/db";
import {
  answerColumns,
  CONSENT_TEXT,
  parseFormAnswers,
  type AnswerIssue,
  type ConsentText,
} from "@shelf/survey-engine";
import type { TextAnalyzer } from "@shelf/survey-engine/text";
import { loadInvite } from "./invites.ts";

/**
 * Redeeming an invite: storing a consented response, or a declined consent. Both mark the invite used in
 * the same transaction that writes, with a conditional update (`usedAt IS NULL AND expiresAt > now`) that
 * row-locks the invite: of two concurrent submissions exactly one writes, the other finds it used. The
 * unique `inviteId` of Consent and SurveyResponse is the second line of defence.
 *
 * Free text is never logged here or by the callers; it is stored verbatim (parameterised) and escaped by
 * React wherever it is rendered.
 */

export type RedeemFailure = { status: "invalid" } | { status: "expired" | "used"; kioskId: string | null };

export type SubmitResult =
  | { status: "saved"; responseId: string; kioskId: string | null }
  | { status: "invalid-answers"; issues: AnswerIssue[]; kioskId: string | null }
  | { status: "consent-changed"; kioskId: string | null }
  | RedeemFailure;

export type DeclineResult = { status: "declined"; kioskId: string | null } | RedeemFailure;

/** Thrown inside a transaction to roll it back when the invite was redeemed concurrently. */
class AlreadyRedeemed extends Error {}

function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

/** Marks the invite used iff it is still open; returns false when someone else got there first. */
async function claimInvite(tx: Prisma.TransactionClient, inviteId: string, now: Date): Promise<boolean> {
  const { count } = await tx.surveyInvite.updateMany({
    where: { id: inviteId, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  return count === 1;
}

/**
 * Stores a consented response. `fields` are the posted form fields (`q.<id>` answers; others ignored);
 * `consentVersion` is the consent text version the shopper agreed to (must be the current one).
 */
export async function submitSurvey(input: {
  db: Db;
  analyzer: TextAnalyzer;
  secret: string;
  token: string;
  consentVersion: unknown;
  fields: Iterable<readonly [string, unknown]>;
  consentText?: ConsentText;
  now?: Date;
}): Promise<SubmitResult> {
  const { db } = input;
  const now = input.now ?? new Date();
  const consent = input.consentText ?? CONSENT_TEXT;
  const view = await loadInvite(db, input.token, input.secret, now);
  if (view.state !== "open")
    return view.state === "invalid" ? { status: "invalid" } : { status: view.state, kioskId: view.kioskId };
  if (input.consentVersion !== consent.version) return { status: "consent-changed", kioskId: view.kioskId };
  const parsed = parseFormAnswers(view.questions, input.fields);
  if (!parsed.ok) return { status: "invalid-answers", issues: parsed.issues, kioskId: view.kioskId };
  const { rating, freeText } = answerColumns(view.questions, parsed.answers);
  const analysis = freeText ? input.analyzer.analyze(freeText) : null;
  try {
    const responseId = await db.$transaction(async (tx) => {
      if (!(await claimInvite(tx, view.inviteId, now))) throw new AlreadyRedeemed();
      await tx.consent.create({
        data: { inviteId: view.inviteId, granted: true, textVersion: consent.version, createdAt: now },
      });
      const response = await tx.surveyResponse.create({
        data: {
          inviteId: view.inviteId,
          itemId: view.item.id,
          consentTextVersion: consent.version,
          answers: parsed.answers,
          rating,
          freeText,
          sentiment: analysis ? analysis.sentiment : null,
          topics: analysis ? analysis.keywords : [],
          createdAt: now,
        },
        select: { id: true },
      });
      return response.id;
    });
    return { status: "saved", responseId, kioskId: view.kioskId };
  } catch (err) {
    if (err instanceof AlreadyRedeemed || isUniqueViolation(err))
      return redeemedLater(db, view.inviteId, now);
    throw err;
  }
}

/** Records a declined consent (no answers) and closes the invite. */
export async function declineSurvey(input: {
  db: Db;
  secret: string;
  token: string;
  consentText?: ConsentText;
  now?: Date;
}): Promise<DeclineResult> {
  const { db } = input;
  const now = input.now ?? new Date();
  const consent = input.consentText ?? CONSENT_TEXT;
  const view = await loadInvite(db, input.token, input.secret, now);
  if (view.state !== "open")
    return view.state === "invalid" ? { status: "invalid" } : { status: view.state, kioskId: view.kioskId };
  try {
    await db.$transaction(async (tx) => {
      if (!(await claimInvite(tx, view.inviteId, now))) throw new AlreadyRedeemed();
      await tx.consent.create({
        data: { inviteId: view.inviteId, granted: false, textVersion: consent.version, createdAt: now },
      });
    });
    return { status: "declined", kioskId: view.kioskId };
  } catch (err) {
    if (err instanceof AlreadyRedeemed || isUniqueViolation(err))
      return redeemedLater(db, view.inviteId, now);
    throw err;
  }
}

/** Lost a race: report whether the invite is now used or has just expired. */
async function redeemedLater(db: Db, inviteId: string, now: Date): Promise<RedeemFailure> {
  const invite = await db.surveyInvite.findUnique({
    where: { id: inviteId },
    select: { usedAt: true, expiresAt: true, kioskId: true },
  });
  if (!invite) return { status: "invalid" };
  return { status: invite.usedAt || invite.expiresAt > now ? "used" : "expired", kioskId: invite.kioskId };
}
