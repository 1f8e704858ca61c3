import { randomUUID } from "node:crypto";
import { surveyActivity, type Db, type SurveyChannel } from "@shelf/db";
import {
  DEFAULT_QUESTIONS,
  InviteTokenError,
  parseTemplateQuestions,
  resolveTemplate,
  signInviteToken,
  surveyIsActive,
  tokenHash,
  verifyInviteToken,
  type SurveyQuestions,
} from "@shelf/survey-engine";

/** The item (or store) of an invite request does not exist. */
export class SurveyNotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
    this.name = "SurveyNotFoundError";
  }
}

/**
 * An item's survey is active while the item has an open flag in the store, unless an operator started it
 * without a flag or stopped it (a `SurveyRun` row, set from the Surveys tab), which wins.
 */
export async function isSurveyActive(db: Db, storeId: string, itemId: string): Promise<boolean> {
  return surveyIsActive(await surveyActivity(db, storeId, itemId));
}

/**
 * The template that applies to an item (its own, else its category's). When neither exists, the default
 * questions are saved as the category's template, so every invite points at a real row and an admin can
 * edit what shoppers are asked.
 */
export async function ensureTemplate(
  db: Db,
  item: { id: string; category: string },
): Promise<{ id: string; questions: SurveyQuestions }> {
  const templates = await db.surveyTemplate.findMany({
    where: { active: true, OR: [{ itemId: item.id }, { itemId: null, category: item.category }] },
  });
  const found = resolveTemplate(item, templates);
  if (found)
    return {
      id: found.template.id,
      questions: parseTemplateQuestions(found.template.id, found.template.questions),
    };
  const created = await db.surveyTemplate.create({
    data: { category: item.category, questions: DEFAULT_QUESTIONS },
  });
  return { id: created.id, questions: DEFAULT_QUESTIONS };
}

/**
 * Creates a single-use invite and returns its signed token. Only the token's SHA-256 is stored: the token
 * itself exists in the QR redirect / kiosk stream and in the shopper's URL, nowhere else.
 */
export async function createInvite(input: {
  db: Db;
  secret: string;
  storeId: string;
  itemId: string;
  channel: SurveyChannel;
  kioskId?: string | null;
  /** ms */
  ttlMs: number;
  now?: Date;
}): Promise<{ inviteId: string; token: string; expiresAt: Date }> {
  const { db } = input;
  const now = input.now ?? new Date();
  const item = await db.item.findUnique({
    where: { id: input.itemId },
    select: { id: true, category: true },
  });
  if (!item) throw new SurveyNotFoundError(`item ${input.itemId}`);
  const template = await ensureTemplate(db, item);
  const inviteId = randomUUID();
  const expiresAt = new Date(now.getTime() + input.ttlMs);
  const token = signInviteToken(inviteId, expiresAt, input.secret);
  await db.surveyInvite.create({
    data: {
      id: inviteId,
      storeId: input.storeId,
      itemId: item.id,
      templateId: template.id,
      kioskId: input.kioskId ?? null,
      channel: input.channel,
      tokenHash: tokenHash(token),
      expiresAt,
    },
  });
  return { inviteId, token, expiresAt };
}

export type InviteView =
  | { state: "invalid" }
  | { state: "expired" | "used"; kioskId: string | null }
  | {
      state: "open";
      inviteId: string;
      kioskId: string | null;
      channel: SurveyChannel;
      expiresAt: Date;
      item: { id: string; name: string };
      templateId: string;
      questions: SurveyQuestions;
    };

/**
 * Looks an invite up by its token: `invalid` for a malformed, forged or unknown token (the same answer for
 * each, so a prober learns nothing), `expired`, `used` (answered or declined), or `open` with its questions.
 * Reads only.
 */
export async function loadInvite(
  db: Db,
  token: string,
  secret: string,
  now = new Date(),
): Promise<InviteView> {
  let expired = false;
  let inviteId: string;
  try {
    inviteId = verifyInviteToken(token, secret, now).i;
  } catch (err) {
    if (!(err instanceof InviteTokenError) || err.code !== "expired") return { state: "invalid" };
    // The signature was good (expiry is checked last): the row still says which kiosk to go back to.
    expired = true;
    inviteId = "";
  }
  const invite = await db.surveyInvite.findUnique({
    where: { tokenHash: tokenHash(token) },
    include: { item: { select: { id: true, name: true } }, template: true },
  });
  if (!invite || (inviteId && invite.id !== inviteId)) return { state: "invalid" };
  if (invite.usedAt) return { state: "used", kioskId: invite.kioskId };
  if (expired || invite.expiresAt <= now) return { state: "expired", kioskId: invite.kioskId };
  return {
    state: "open",
    inviteId: invite.id,
    kioskId: invite.kioskId,
    channel: invite.channel,
    expiresAt: invite.expiresAt,
    item: invite.item,
    templateId: invite.templateId,
    questions: parseTemplateQuestions(invite.templateId, invite.template.questions),
  };
}
