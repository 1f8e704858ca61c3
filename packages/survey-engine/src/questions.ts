import { z } from "zod";

/**
 * Survey questions: the zod schema of `SurveyTemplate.questions` (JSON), template resolution (an item's
 * own template overrides its category's), and the answer schema built from a template. Answers are
 * validated on the server with {@link buildAnswerSchema}; the HTML form's `required` / `maxlength` are a
 * convenience, never the check.
 */

const ZQuestionId = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, "lower-case letters, digits, '-' or '_', starting with a letter");
/** Prompt shown to the shopper; `{item}` is replaced by the product's name. */
const ZPrompt = z.string().trim().min(1).max(200);
const ZLabel = z.string().trim().min(1).max(60);

export const ZRatingQuestion = z
  .object({
    id: ZQuestionId,
    kind: z.literal("rating"),
    prompt: ZPrompt,
    /** Points on the scale, 1…scale (default 5). */
    scale: z.number().int().min(2).max(10).default(5),
    /** Words under the lowest and highest point (default "Very poor" / "Very good"). */
    lowLabel: ZLabel.default("Very poor"),
    highLabel: ZLabel.default("Very good"),
    /** Default true. */
    required: z.boolean().default(true),
  })
  .strict();

export const ZChoiceQuestion = z
  .object({
    id: ZQuestionId,
    kind: z.literal("choice"),
    prompt: ZPrompt,
    /** 2–10 options; the `id` is what is stored, the `label` what is shown. */
    options: z
      .array(z.object({ id: ZQuestionId, label: ZLabel }).strict())
      .min(2)
      .max(10),
    /** Several options may be picked (checkboxes) instead of one (radio buttons). Default false. */
    multiple: z.boolean().default(false),
    /** Default true. */
    required: z.boolean().default(true),
  })
  .strict()
  .refine((q) => new Set(q.options.map((o) => o.id)).size === q.options.length, {
    message: "option ids must be unique",
    path: ["options"],
  });

/** Hard ceiling on any free-text answer, characters (a template may ask for less). */
export const MAX_FREE_TEXT = 2000;

export const ZTextQuestion = z
  .object({
    id: ZQuestionId,
    kind: z.literal("text"),
    prompt: ZPrompt,
    /** Characters, 1…{@link MAX_FREE_TEXT} (default 500). */
    maxLength: z.number().int().min(1).max(MAX_FREE_TEXT).default(500),
    /** Default false: free text is optional unless a template insists. */
    required: z.boolean().default(false),
  })
  .strict();

export const ZSurveyQuestion = z.discriminatedUnion("kind", [
  ZRatingQuestion,
  ZChoiceQuestion,
  ZTextQuestion,
]);
export type SurveyQuestion = z.infer<typeof ZSurveyQuestion>;
export type RatingQuestion = z.infer<typeof ZRatingQuestion>;
export type ChoiceQuestion = z.infer<typeof ZChoiceQuestion>;
export type TextQuestion = z.infer<typeof ZTextQuestion>;

/** `SurveyTemplate.questions`: 1–10 questions with unique ids. */
export const ZSurveyQuestions = z
  .array(ZSurveyQuestion)
  .min(1)
  .max(10)
  .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, {
    message: "question ids must be unique",
  });
export type SurveyQuestions = z.infer<typeof ZSurveyQuestions>;

/** Used when neither the item nor its category has a template (the web app saves it as the category's). */
export const DEFAULT_QUESTIONS: SurveyQuestions = ZSurveyQuestions.parse([
  { id: "overall", kind: "rating", prompt: "How would you rate {item}?" },
  {
    id: "reason",
    kind: "choice",
    prompt: "What puts you off, if anything?",
    multiple: true,
    required: false,
    options: [
      { id: "price", label: "Price" },
      { id: "quality", label: "Quality" },
      { id: "taste", label: "Taste or smell" },
      { id: "packaging", label: "Packaging" },
      { id: "size", label: "Size or variety" },
      { id: "other", label: "Something else" },
    ],
  },
  { id: "comment", kind: "text", prompt: "Anything else you would like to tell us?", maxLength: 500 },
]);

/** Thrown when a stored template's JSON does not satisfy {@link ZSurveyQuestions}. */
export class TemplateError extends Error {
  constructor(
    readonly templateId: string,
    readonly issues: string[],
  ) {
    super(`survey template ${templateId} is invalid: ${issues.join("; ")}`);
    this.name = "TemplateError";
  }
}

/** Parses a template's stored JSON or throws {@link TemplateError}. */
export function parseTemplateQuestions(templateId: string, json: unknown): SurveyQuestions {
  const parsed = ZSurveyQuestions.safeParse(json);
  if (!parsed.success)
    throw new TemplateError(
      templateId,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  return parsed.data;
}

export interface TemplateRef {
  id: string;
  itemId: string | null;
  category: string | null;
  active: boolean;
  /** Ties between several matching templates go to the most recently updated. */
  updatedAt: Date;
}

/**
 * The template that applies to an item: its own active template (an item override replaces the category's
 * question list entirely), else its category's active template, else null (use {@link DEFAULT_QUESTIONS}).
 */
export function resolveTemplate<T extends TemplateRef>(
  item: { id: string; category: string },
  templates: readonly T[],
): { template: T; source: "item" | "category" } | null {
  const newest = (ts: T[]) => ts.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  const own = newest(templates.filter((t) => t.active && t.itemId === item.id));
  if (own) return { template: own, source: "item" };
  const cat = newest(templates.filter((t) => t.active && t.itemId === null && t.category === item.category));
  return cat ? { template: cat, source: "category" } : null;
}

/** Replaces `{item}` in a prompt with the product's name (literally: no replacement patterns). */
export function renderPrompt(prompt: string, vars: { item: string }): string {
  return prompt.replace(/\{item\}/g, () => vars.item);
}

/**
 * Normalises free text before validation and storage: Unicode NFC, CRLF → LF (browsers submit CRLF but
 * count a line break as one character against `maxlength`), control characters other than tab and line
 * feed removed (PostgreSQL rejects NUL in text), and surrounding whitespace trimmed. Markup is *not*
 * touched: text is stored verbatim and escaped when rendered.
 */
export function normaliseFreeText(text: string): string {
  return text
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "")
    .trim();
}

/** Answers keyed by question id: rating → 1…scale, choice → option id (or ids), text → string. */
export type Answers = Record<string, number | string | string[]>;

function answerSchemaFor(q: SurveyQuestion): z.ZodType {
  switch (q.kind) {
    case "rating": {
      const s = z.number().int().min(1).max(q.scale);
      return q.required ? s : s.optional();
    }
    case "choice": {
      const ids = q.options.map((o) => o.id) as [string, ...string[]];
      if (!q.multiple) return q.required ? z.enum(ids) : z.enum(ids).optional();
      const s = z
        .array(z.enum(ids))
        .min(q.required ? 1 : 0)
        .max(ids.length)
        .refine((a) => new Set(a).size === a.length, "an option may be picked once");
      return q.required ? s : s.optional();
    }
    case "text": {
      const s = z
        .string()
        .transform(normaliseFreeText)
        .pipe(
          z
            .string()
            .min(q.required ? 1 : 0, "required")
            .max(q.maxLength, `at most ${q.maxLength} characters`),
        );
      return q.required ? s : s.optional();
    }
  }
}

/**
 * The zod schema of one response to a template: a strict object keyed by question id (unknown keys are
 * refused). Free text is normalised ({@link normaliseFreeText}) and an empty optional answer is dropped.
 */
export function buildAnswerSchema(questions: SurveyQuestions): z.ZodType<Answers, unknown> {
  const shape = Object.fromEntries(questions.map((q) => [q.id, answerSchemaFor(q)]));
  return z
    .object(shape)
    .strict()
    .transform((a) => {
      const out: Answers = {};
      for (const [k, v] of Object.entries(a as Record<string, unknown>)) {
        if (v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
        out[k] = v as Answers[string];
      }
      return out;
    }) as unknown as z.ZodType<Answers, unknown>;
}

export interface AnswerIssue {
  /** The question's id, or "" for a problem with the submission as a whole. */
  questionId: string;
  message: string;
}

export type AnswerParseResult = { ok: true; answers: Answers } | { ok: false; issues: AnswerIssue[] };

/** Validates answers (e.g. a JSON body) against a template. */
export function parseAnswers(questions: SurveyQuestions, raw: unknown): AnswerParseResult {
  const parsed = buildAnswerSchema(questions).safeParse(raw);
  if (parsed.success) return { ok: true, answers: parsed.data };
  const issues: AnswerIssue[] = [];
  for (const i of parsed.error.issues) {
    if (i.code === "unrecognized_keys") {
      for (const k of i.keys)
        issues.push({ questionId: "", message: `unknown question "${k.slice(0, 40)}"` });
    } else issues.push({ questionId: String(i.path[0] ?? ""), message: i.message });
  }
  return { ok: false, issues };
}

/** Prefix of the form fields that carry answers: `q.<question id>`. */
export const ANSWER_FIELD_PREFIX = "q.";

/**
 * Validates answers posted by an HTML form (`q.<id>` fields; repeated fields for checkboxes; ratings as
 * digits). Fields without the prefix (e.g. the consent version) are ignored; an unknown `q.` field is an
 * issue; a single-valued field sent twice is an issue.
 */
export function parseFormAnswers(
  questions: SurveyQuestions,
  fields: Iterable<readonly [string, unknown]>,
): AnswerParseResult {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const raw: Record<string, unknown> = {};
  const issues: AnswerIssue[] = [];
  for (const [name, value] of fields) {
    if (!name.startsWith(ANSWER_FIELD_PREFIX)) continue;
    const qid = name.slice(ANSWER_FIELD_PREFIX.length);
    const q = byId.get(qid);
    if (typeof value !== "string") {
      issues.push({ questionId: q ? qid : "", message: "not a text field" });
      continue;
    }
    if (!q) {
      raw[qid] = value; // refused by the strict schema below
      continue;
    }
    if (q.kind === "choice" && q.multiple) {
      if (value !== "") ((raw[qid] ??= []) as string[]).push(value);
      continue;
    }
    if (qid in raw) {
      issues.push({ questionId: qid, message: "answered twice" });
      continue;
    }
    if (value === "" && q.kind !== "text") continue;
    raw[qid] = q.kind === "rating" ? (/^\d{1,2}$/.test(value) ? Number(value) : value) : value;
  }
  const result = parseAnswers(questions, raw);
  if (issues.length > 0) return { ok: false, issues: [...issues, ...(result.ok ? [] : result.issues)] };
  return result;
}

/**
 * What a response stores besides the answers JSON: the first rating question's answer (`rating`) and all
 * free-text answers joined by blank lines (`freeText`), for fast summaries.
 */
export function answerColumns(
  questions: SurveyQuestions,
  answers: Answers,
): { rating: number | null; freeText: string | null } {
  const ratingQ = questions.find((q) => q.kind === "rating");
  const r = ratingQ ? answers[ratingQ.id] : undefined;
  const texts = questions
    .filter((q) => q.kind === "text")
    .map((q) => answers[q.id])
    .filter((t): t is string => typeof t === "string" && t.length > 0);
  return { rating: typeof r === "number" ? r : null, freeText: texts.length > 0 ? texts.join("\n\n") : null };
}
