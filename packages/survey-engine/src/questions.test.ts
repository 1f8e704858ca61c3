import { describe, expect, it } from "vitest";
import {
  answerColumns,
  buildAnswerSchema,
  DEFAULT_QUESTIONS,
  normaliseFreeText,
  parseAnswers,
  parseFormAnswers,
  parseTemplateQuestions,
  renderPrompt,
  resolveTemplate,
  TemplateError,
  ZSurveyQuestions,
  type SurveyQuestions,
} from "./questions.ts";

const questions: SurveyQuestions = ZSurveyQuestions.parse([
  { id: "overall", kind: "rating", prompt: "Rate {item}", scale: 5 },
  {
    id: "why",
    kind: "choice",
    prompt: "Why?",
    multiple: true,
    required: false,
    options: [
      { id: "price", label: "Price" },
      { id: "taste", label: "Taste" },
    ],
  },
  {
    id: "again",
    kind: "choice",
    prompt: "Buy again?",
    options: [
      { id: "yes", label: "Yes" },
      { id: "no", label: "No" },
    ],
  },
  { id: "comment", kind: "text", prompt: "Anything else?", maxLength: 20 },
]);

describe("template schema", () => {
  it("fills defaults and accepts the default questions", () => {
    expect(questions[0]).toMatchObject({ scale: 5, required: true, lowLabel: "Very poor" });
    expect(questions[3]).toMatchObject({ required: false, maxLength: 20 });
    expect(DEFAULT_QUESTIONS.map((q) => q.kind)).toEqual(["rating", "choice", "text"]);
  });

  it("refuses duplicate ids, duplicate options, unknown keys, bad kinds, empty and oversized templates", () => {
    const bad: unknown[] = [
      [],
      [
        { id: "a", kind: "rating", prompt: "x" },
        { id: "a", kind: "text", prompt: "y" },
      ],
      [
        {
          id: "a",
          kind: "choice",
          prompt: "x",
          options: [
            { id: "o", label: "1" },
            { id: "o", label: "2" },
          ],
        },
      ],
      [{ id: "a", kind: "choice", prompt: "x", options: [{ id: "o", label: "1" }] }],
      [{ id: "a", kind: "rating", prompt: "x", extra: 1 }],
      [{ id: "a", kind: "slider", prompt: "x" }],
      [{ id: "A b", kind: "text", prompt: "x" }],
      [{ id: "a", kind: "rating", prompt: "x", scale: 11 }],
      [{ id: "a", kind: "text", prompt: "x", maxLength: 5000 }],
      Array.from({ length: 11 }, (_, i) => ({ id: `q${i}`, kind: "text", prompt: "x" })),
    ];
    for (const b of bad)
      expect(ZSurveyQuestions.safeParse(b).success, JSON.stringify(b).slice(0, 80)).toBe(false);
  });

  it("parseTemplateQuestions names the template and the problem", () => {
    expect(() => parseTemplateQuestions("t1", [{ id: "a" }])).toThrow(TemplateError);
    expect(() => parseTemplateQuestions("t1", "nope")).toThrow(/t1/);
  });
});

describe("template resolution", () => {
  const d = (n: number) => new Date(1_800_000_000_000 + n);
  const item = { id: "i1", category: "snacks" };
  const cat = { id: "cat", itemId: null, category: "snacks", active: true, updatedAt: d(1) };
  const catNewer = { id: "cat2", itemId: null, category: "snacks", active: true, updatedAt: d(2) };
  const own = { id: "own", itemId: "i1", category: null, active: true, updatedAt: d(0) };
  const other = { id: "other", itemId: "i2", category: null, active: true, updatedAt: d(5) };
  const inactive = { id: "off", itemId: "i1", category: null, active: false, updatedAt: d(9) };
  const otherCat = { id: "bev", itemId: null, category: "beverages", active: true, updatedAt: d(9) };

  it("prefers the item's own template over its category's", () => {
    expect(resolveTemplate(item, [cat, own, other])).toEqual({ template: own, source: "item" });
  });
  it("falls back to the newest active category template, ignoring inactive and other items/categories", () => {
    expect(resolveTemplate(item, [cat, catNewer, other, inactive, otherCat])).toEqual({
      template: catNewer,
      source: "category",
    });
  });
  it("returns null when nothing applies (use the defaults)", () => {
    expect(resolveTemplate(item, [other, inactive, otherCat])).toBeNull();
  });
});

describe("answer validation", () => {
  const schema = buildAnswerSchema(questions);

  it("accepts a complete answer and drops empty optional ones", () => {
    expect(schema.parse({ overall: 2, why: ["price"], again: "no", comment: "  too salty  " })).toEqual({
      overall: 2,
      why: ["price"],
      again: "no",
      comment: "too salty",
    });
    expect(schema.parse({ overall: 5, again: "yes", comment: "", why: [] })).toEqual({
      overall: 5,
      again: "yes",
    });
  });

  it("refuses out-of-range ratings, unknown options, missing required answers and unknown questions", () => {
    const bad: unknown[] = [
      { overall: 0, again: "no" },
      { overall: 6, again: "no" },
      { overall: 2.5, again: "no" },
      { overall: "3", again: "no" },
      { overall: 3, again: "maybe" },
      { overall: 3 },
      { again: "no" },
      { overall: 3, again: "no", why: ["price", "price"] },
      { overall: 3, again: "no", why: ["gold"] },
      { overall: 3, again: ["no"] },
      { overall: 3, again: "no", extra: "x" },
      { overall: 3, again: "no", comment: 7 },
      null,
      "answers",
    ];
    for (const b of bad) expect(schema.safeParse(b).success, JSON.stringify(b)).toBe(false);
  });

  it("enforces max length after normalising, and refuses oversized text", () => {
    expect(schema.safeParse({ overall: 1, again: "no", comment: "x".repeat(20) }).success).toBe(true);
    expect(schema.safeParse({ overall: 1, again: "no", comment: "x".repeat(21) }).success).toBe(false);
    // CRLF counts as one character, like the browser's maxlength.
    expect(schema.safeParse({ overall: 1, again: "no", comment: "a\r\n".repeat(6) + "b" }).success).toBe(
      true,
    );
    const r = parseAnswers(questions, { overall: 1, again: "no", comment: "y".repeat(100_000) });
    expect(r).toEqual({ ok: false, issues: [{ questionId: "comment", message: "at most 20 characters" }] });
  });

  it("keeps markup verbatim (it is escaped when rendered) and strips control characters", () => {
    const text = `<img src=x onerror=alert(1)>`.slice(0, 20);
    expect(schema.parse({ overall: 1, again: "no", comment: text }).comment).toBe(text);
    expect(normaliseFreeText("a\u0000b\u0007c\td\r\ne\u007f")).toBe("abc\td\ne");
    expect(normaliseFreeText("e\u0301")).toBe("é");
  });

  it("reports issues per question", () => {
    expect(parseAnswers(questions, { again: "no", bogus: 1 })).toEqual({
      ok: false,
      issues: expect.arrayContaining([
        { questionId: "overall", message: expect.any(String) },
        { questionId: "", message: 'unknown question "bogus"' },
      ]),
    });
  });
});

describe("form answers", () => {
  it("coerces form fields (ratings as digits, repeated checkboxes) and ignores non-answer fields", () => {
    const r = parseFormAnswers(questions, [
      ["consentVersion", "v1"],
      ["q.overall", "4"],
      ["q.why", "price"],
      ["q.why", "taste"],
      ["q.again", "yes"],
      ["q.comment", ""],
    ]);
    expect(r).toEqual({ ok: true, answers: { overall: 4, why: ["price", "taste"], again: "yes" } });
  });

  it("refuses unknown fields, duplicated single answers, files and non-numeric ratings", () => {
    expect(
      parseFormAnswers(questions, [
        ["q.overall", "4"],
        ["q.again", "no"],
        ["q.evil", "1"],
      ]).ok,
    ).toBe(false);
    expect(
      parseFormAnswers(questions, [
        ["q.overall", "4"],
        ["q.overall", "5"],
        ["q.again", "no"],
      ]),
    ).toMatchObject({ ok: false, issues: [{ questionId: "overall", message: "answered twice" }] });
    expect(
      parseFormAnswers(questions, [
        ["q.overall", "4"],
        ["q.again", {}],
      ]).ok,
    ).toBe(false);
    expect(
      parseFormAnswers(questions, [
        ["q.overall", "4e0"],
        ["q.again", "no"],
      ]).ok,
    ).toBe(false);
    expect(
      parseFormAnswers(questions, [
        ["q.overall", ""],
        ["q.again", "no"],
      ]),
    ).toMatchObject({
      ok: false,
      issues: [{ questionId: "overall" }],
    });
  });
});

describe("answer columns and prompts", () => {
  it("takes the first rating and joins the free text", () => {
    expect(answerColumns(questions, { overall: 2, again: "no", comment: "meh" })).toEqual({
      rating: 2,
      freeText: "meh",
    });
    expect(answerColumns(questions, { again: "no" })).toEqual({ rating: null, freeText: null });
    const two = ZSurveyQuestions.parse([
      { id: "a", kind: "text", prompt: "a" },
      { id: "b", kind: "text", prompt: "b" },
    ]);
    expect(answerColumns(two, { a: "one", b: "two" }).freeText).toBe("one\n\ntwo");
  });

  it("renders {item} literally, even with replacement patterns in the name", () => {
    expect(renderPrompt("Rate {item}! {item}?", { item: "$& crisps" })).toBe("Rate $& crisps! $& crisps?");
  });
});
