/**
 * One mapper from a tRPC error to what a form shows: a plain sentence per field (beside it, with
 * {@link Field}) and, for what belongs to no field, one for the form. The API sends each invalid input
 * as an issue with its path, zod code and bounds (`FieldIssue` in packages/api/src/trpc.ts); messages the
 * rules wrote themselves are kept, zod's own ("Too small: expected string to have >=1 characters") are
 * replaced by sentences.
 */

/** An issue as the API sends it in `error.data.issues`. */
export interface FormIssue {
  path: (string | number)[];
  code: string;
  message: string;
  origin?: string;
  expected?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  inclusive?: boolean;
}

/** What a form shows for an error. */
export interface FormErrors {
  /** Per field path joined with dots ("name", "polygon.2"): the first plain message for it. */
  fields: Record<string, string>;
  /** For the whole form: an error with no field, or null. */
  form: string | null;
}

/** zod's built-in wording; anything else was written by a rule and is already meant for people. */
const ZOD_WORDING =
  /^(Too (small|big)|Invalid|Unrecognized key|Expected|Required$)|expected .* (to (have|be)|received)/i;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "sourceUrl: not on the allowlist" → "not on the allowlist": the field is shown beside it already. */
function withoutFieldPrefix(message: string): string {
  return message.replace(/^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*: /, "");
}

function sentence(message: string): string {
  const s = withoutFieldPrefix(message).trim();
  if (!s) return s;
  const first = s[0]!.toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** One issue in plain words. */
export function plainMessage(issue: FormIssue): string {
  if (!ZOD_WORDING.test(issue.message)) return sentence(issue.message);
  const { minimum: min, maximum: max, inclusive = true } = issue;
  switch (issue.code) {
    case "too_small":
      if (issue.origin === "string")
        return min === undefined || min <= 1 ? "Fill this in." : `Use at least ${plural(min, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at least ${min ?? 1}.`;
      if (min === 0 && !inclusive) return "Enter a number greater than 0.";
      return inclusive ? `Enter ${min} or more.` : `Enter a number greater than ${min}.`;
    case "too_big":
      if (issue.origin === "string") return `Use at most ${plural(max ?? 0, "character")}.`;
      if (issue.origin === "array" || issue.origin === "set") return `Choose at most ${max}.`;
      return inclusive ? `Enter ${max} or less.` : `Enter a number less than ${max}.`;
    case "invalid_type":
      if (/received undefined|received null/.test(issue.message)) return "Fill this in.";
      if (issue.expected === "int") return "Enter a whole number.";
      if (issue.expected === "number") return "Enter a number.";
      return "Fill this in.";
    case "invalid_format":
      if (issue.format === "email") return "Enter an e-mail address such as name@example.com.";
      if (issue.format === "url") return "Enter a full address such as https://example.com.";
      return "Check the format of this value.";
    case "invalid_value":
      return "Choose one of the options.";
    case "not_multiple_of":
      return "Enter a whole number.";
    case "unrecognized_keys":
      return "The form sent a field the server does not know: reload the page and try again.";
    default:
      return "Check this value.";
  }
}

/** The field key of a path: its parts joined with dots. */
export function fieldKey(path: readonly (string | number)[]): string {
  return path.join(".");
}

function issuesOf(error: unknown): FormIssue[] | null {
  if (!error || typeof error !== "object" || !("data" in error)) return null;
  const data = (error as { data?: { issues?: unknown } | null }).data;
  return Array.isArray(data?.issues) ? (data.issues as FormIssue[]) : null;
}

/**
 * A tRPC client error (or anything) as per-field messages and a form message. `fields` names the paths
 * the form shows (a path under one, e.g. "polygon.2" under "polygon", goes to it too, unless the form
 * names the longer path itself); issues on other paths, and errors without issues, go to `form`. The input
 * `storeSlug` and other hidden fields are not in `fields`, so their issues reach the form message.
 */
export function formErrors(error: unknown, fields: readonly string[]): FormErrors {
  if (!error) return { fields: {}, form: null };
  const issues = issuesOf(error);
  if (!issues?.length)
    return { fields: {}, form: error instanceof Error ? sentence(error.message) : "Something went wrong." };
  const out: Record<string, string> = {};
  const rest: string[] = [];
  for (const issue of issues) {
    const key = fieldKey(issue.path);
    const field = fields.includes(key)
      ? key
      : [...fields].sort((a, b) => b.length - a.length).find((f) => key.startsWith(`${f}.`));
    const message = plainMessage(issue);
    if (field === undefined) rest.push(message);
    else out[field] ??= message;
  }
  return { fields: out, form: rest.length ? [...new Set(rest)].join(" ") : null };
}
